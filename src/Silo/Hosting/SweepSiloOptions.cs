namespace Sweep.Silo.Hosting;

/// <summary>
/// The silo host (configuration section "Sweep"; environment variables such as Sweep__Mode=Cluster,
/// Sweep__Redis__ConnectionString=host:6379,password=...). Defaults bind to loopback.
/// </summary>
public sealed class SweepSiloOptions
{
    public const string Section = "Sweep";

    public SiloMode Mode { get; set; } = SiloMode.Embedded;

    /// <summary>Orleans cluster id: silos and clients of one deployment share it.</summary>
    public string ClusterId { get; set; } = "sweep";

    /// <summary>Orleans service id: keys the durable state; keep it across deployments.</summary>
    public string ServiceId { get; set; } = "sweep";

    public EndpointSettings Endpoints { get; set; } = new();

    public EmbeddedSettings Embedded { get; set; } = new();

    public RedisSettings Redis { get; set; } = new();

    public TlsSettings Tls { get; set; } = new();

    public KubernetesSettings Kubernetes { get; set; } = new();
}
