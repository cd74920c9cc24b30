using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using Sweep.Client.Cluster;
using Sweep.Client.Configuration;

namespace Sweep.Client.Commands;

/// <summary>Options of every command that talks to a cluster.</summary>
public class ClusterSettings : CommandSettings
{
    [CommandOption("-g|--gateway <HOST:PORT>")]
    [Description("A gateway of the cluster; repeat for several. Default: $SWEEP_GATEWAYS, else Sweep:Client:Gateways in appsettings.json, else 127.0.0.1:30000 (the embedded silo).")]
    public string[]? Gateways { get; init; }

    [CommandOption("--connect-attempts <N>")]
    [Description("Connection attempts (exponential backoff between them) before the cluster counts as unreachable (exit code 3). Default: Sweep:Client:ConnectAttempts, 4.")]
    public int? ConnectAttempts { get; init; }

    [CommandOption("--connect-timeout <SECONDS>")]
    [Description("Seconds one connection attempt may take. Default: Sweep:Client:ConnectTimeout, 5.")]
    public double? ConnectTimeout { get; init; }

    [CommandOption("--json")]
    [Description("Print JSON instead of tables.")]
    public bool Json { get; init; }

    public override ValidationResult Validate()
    {
        foreach (var gateway in Gateways ?? [])
        {
            if (GatewayAddress.Check(gateway) is { } error)
            {
                return ValidationResult.Error($"--gateway: {error}");
            }
        }
        if (ConnectAttempts is < 1)
        {
            return ValidationResult.Error($"--connect-attempts {ConnectAttempts}: must be at least 1.");
        }
        if (ConnectTimeout is { } timeout && (!double.IsFinite(timeout) || timeout <= 0 || timeout > 3600))
        {
            return ValidationResult.Error($"--connect-timeout {timeout}: must be more than 0 and at most 3600 seconds.");
        }
        return ValidationResult.Success();
    }

    /// <summary>The configured client options with this command's options applied on top.</summary>
    public ClientOptions Apply(ClientOptions configured)
    {
        var options = new ClientOptions
        {
            Gateways = Gateways is { Length: > 0 } g ? g.ToList() : configured.Gateways.ToList(),
            ClusterId = configured.ClusterId,
            ServiceId = configured.ServiceId,
            ConnectAttempts = ConnectAttempts ?? configured.ConnectAttempts,
            ConnectTimeout = ConnectTimeout is { } seconds ? TimeSpan.FromSeconds(seconds) : configured.ConnectTimeout,
            ConnectDelay = configured.ConnectDelay,
            ConnectMaxDelay = configured.ConnectMaxDelay,
            CallAttempts = configured.CallAttempts,
            RefreshInterval = configured.RefreshInterval,
            MaxTrials = configured.MaxTrials,
            LogLevel = configured.LogLevel,
        };
        return options;
    }
}
