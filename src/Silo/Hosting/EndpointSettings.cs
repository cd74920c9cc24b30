namespace Sweep.Silo.Hosting;

public sealed class EndpointSettings
{
    /// <summary>The address other silos and clients reach this silo at.</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>Silo-to-silo port.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Client gateway port (what `sweep --gateway HOST:PORT` connects to).</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>Listen on every interface instead of only the advertised address (containers).</summary>
    public bool ListenOnAnyAddress { get; set; }
}
