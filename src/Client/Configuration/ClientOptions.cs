namespace Sweep.Client.Configuration;

/// <summary>
/// How the client reaches a cluster. Bound from the "Sweep:Client" section of appsettings.json,
/// then environment variables (Sweep__Client__Gateways__0=..., or the short SWEEP_GATEWAYS=a:1,b:2),
/// then command-line options. Defaults reach the embedded silo on this machine.
/// </summary>
public sealed class ClientOptions
{
    public const string Section = "Sweep:Client";

    /// <summary>Gateways as HOST:PORT; the client uses any that answers. 30000 is Orleans' default gateway port.</summary>
    public List<string> Gateways { get; set; } = [];

    /// <summary>Used when <see cref="Gateways"/> is empty.</summary>
    public static IReadOnlyList<string> DefaultGateways { get; } = ["127.0.0.1:30000"];

    /// <summary>Must match the silos' Orleans ClusterId.</summary>
    public string ClusterId { get; set; } = "sweep";

    /// <summary>Must match the silos' Orleans ServiceId.</summary>
    public string ServiceId { get; set; } = "sweep";

    /// <summary>Connection attempts before the cluster is reported unreachable (exit code 3); at least 1.</summary>
    public int ConnectAttempts { get; set; } = 4;

    /// <summary>How long one attempt may take (Orleans keeps retrying a refused gateway inside an attempt).</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Delay before the first retry; it doubles each attempt (with jitter) up to <see cref="ConnectMaxDelay"/>.</summary>
    public TimeSpan ConnectDelay { get; set; } = TimeSpan.FromSeconds(0.5);

    public TimeSpan ConnectMaxDelay { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>Attempts of one grain call that failed transiently (silo lost, timeout) before giving up.</summary>
    public int CallAttempts { get; set; } = 3;

    /// <summary>How often `status --watch` and `launch --wait` ask the coordinator for progress.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Largest number of trials a spec may expand to (checked before launching; the coordinator checks its own limit).</summary>
    public int MaxTrials { get; set; } = 1000;

    /// <summary>Orleans client log level written to stderr ("None" keeps the CLI quiet; "Information" or "Debug" to diagnose connections).</summary>
    public string LogLevel { get; set; } = "None";

    public IReadOnlyList<string> EffectiveGateways => Gateways.Count > 0 ? Gateways : DefaultGateways;
}
