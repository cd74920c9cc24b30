namespace Sweep.Silo.Telemetry;

/// <summary>The Prometheus scrape endpoint ("Telemetry:Prometheus").</summary>
public sealed class PrometheusEndpointOptions
{
    /// <summary>Default scrape port; deploy/ uses the same.</summary>
    public const int DefaultPort = 9464;

    public bool Enabled { get; set; } = true;

    /// <summary>Address the listener binds to: loopback by default; "*" for every interface (containers).</summary>
    public string Host { get; set; } = "localhost";

    public int Port { get; set; } = DefaultPort;

    public string Path { get; set; } = "/metrics";
}
