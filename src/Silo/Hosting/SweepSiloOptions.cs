namespace Sweep.Silo.Hosting;

public enum SiloMode
{
    /// <summary>One silo on this machine, state in a local folder (SQLite). No server to install.</summary>
    Embedded,
    /// <summary>Several silos; membership, grain state and reminders in Redis.</summary>
    Cluster,
}

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

public sealed class KubernetesSettings
{
    /// <summary>
    /// Cluster mode in Kubernetes pods: Orleans' Kubernetes hosting names the silo after its pod, advertises the
    /// pod's IP (POD_IP) and listens on every interface; ids from ORLEANS_SERVICE_ID / ORLEANS_CLUSTER_ID when set.
    /// <see cref="EndpointSettings.AdvertisedAddress"/> and <see cref="EndpointSettings.ListenOnAnyAddress"/> are ignored.
    /// </summary>
    public bool Enabled { get; set; }
}

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

public sealed class EmbeddedSettings
{
    /// <summary>Folder of the durable state (grain state and reminders, one SQLite file); default: the user's data folder, sweep/state.</summary>
    public string? StateDirectory { get; set; }

    public string ResolveStateDirectory()
    {
        if (!string.IsNullOrWhiteSpace(StateDirectory))
        {
            return Path.GetFullPath(StateDirectory);
        }
        var xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        var root = !string.IsNullOrWhiteSpace(xdg) && Path.IsPathRooted(xdg)
            ? xdg
            : OperatingSystem.IsWindows()
                ? Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData)
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
        return Path.Combine(root, "sweep", "state");
    }
}

public sealed class RedisSettings
{
    /// <summary>StackExchange.Redis configuration string ("host:port,password=..."). Secret: never logged.</summary>
    public string? ConnectionString { get; set; }
}

public sealed class TlsSettings
{
    /// <summary>Require TLS between silos and from clients.</summary>
    public bool Enabled { get; set; }

    /// <summary>The silo's certificate: a PKCS#12 file (.pfx/.p12), or a PEM file with <see cref="KeyPath"/>.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>Password of the PKCS#12 file (secret: from the environment or a secret store).</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>PEM private key, when <see cref="CertificatePath"/> is a PEM certificate.</summary>
    public string? KeyPath { get; set; }

    /// <summary>Require clients to present a certificate too (mutual TLS).</summary>
    public bool RequireClientCertificate { get; set; } = true;

    /// <summary>Accept any remote certificate (self-signed test deployments only).</summary>
    public bool AllowAnyRemoteCertificate { get; set; }
}
