using Sweep.Client.Cluster;
using Sweep.Client.Configuration;
using Sweep.Client.Hosting;
using Sweep.Client.Output;

namespace Sweep.Client.Commands;

/// <summary>
/// The silo <c>sweep launch --local</c> starts as a child process for one sweep: started unless one already answers
/// at the gateway, connected to as soon as it accepts clients, stopped when the sweep ends, and what to run to
/// resume the sweep when it stops early.
/// </summary>
public sealed class LocalSiloSession(CliOutput output, ClientConfiguration configuration)
{
    /// <summary>The started silo; null when a silo already answers at the gateway (it is used as it is, and left running).</summary>
    public async Task<LocalSilo?> StartAsync(LaunchCommand.Settings settings, ClientOptions options, CancellationToken cancellationToken)
    {
        var probe = new ClientOptions { Gateways = options.EffectiveGateways.ToList(), ClusterId = options.ClusterId, ServiceId = options.ServiceId, ConnectAttempts = 1, CallAttempts = options.CallAttempts };
        try
        {
            await using var existing = await new ClusterConnector(probe).ConnectAsync(cancellationToken);
            output.Message($"A silo already answers at {string.Join(", ", options.EffectiveGateways)}; launching there and leaving it running.");
            return null;
        }
        catch (ClusterUnreachableException)
        {
            // Expected: start our own.
        }
        var local = configuration.LocalSilo;
        var command = SiloLocator.Locate(settings.Silo ?? local.Path);
        var silo = LocalSilo.Start(command, local, Directory.GetCurrentDirectory());
        output.Message($"Started a local silo (pid {silo.ProcessId}) from {command.Location}; its log: {silo.LogPath}");
        return silo;
    }

    /// <summary>Connects once the silo accepts clients (within Sweep:LocalSilo:StartupTimeout), unless it exits first.</summary>
    public async Task<ClusterConnection> ConnectAsync(LocalSilo silo, ClientOptions options, CancellationToken cancellationToken)
    {
        var startup = configuration.LocalSilo.StartupTimeout;
        var attempts = Math.Max(2, (int)Math.Ceiling(startup.TotalSeconds));
        var patient = new ClientOptions
        {
            Gateways = options.EffectiveGateways.ToList(),
            ClusterId = options.ClusterId,
            ServiceId = options.ServiceId,
            ConnectAttempts = attempts,
            ConnectDelay = TimeSpan.FromSeconds(0.5),
            ConnectMaxDelay = TimeSpan.FromSeconds(1),
            CallAttempts = options.CallAttempts,
            RefreshInterval = options.RefreshInterval,
        };
        var deadline = DateTime.UtcNow + startup;
        try
        {
            return await new ClusterConnector(patient).ConnectAsync(attempts, _ => !silo.HasExited && DateTime.UtcNow < deadline, cancellationToken);
        }
        catch (ClusterUnreachableException ex)
        {
            var why = silo.HasExited ? "exited before accepting clients" : $"did not accept clients within {Numbers.Duration(startup)} (Sweep:LocalSilo:StartupTimeout)";
            throw new LocalSiloException($"The local silo {why}. Last lines of its log ({silo.LogPath}):\n{silo.Tail()}", ex);
        }
    }

    public async Task StopAsync(LocalSilo silo)
    {
        output.Message($"Stopping the local silo (its log: {silo.LogPath}).");
        await silo.StopAsync();
        output.Message(silo.Killed
            ? $"The local silo did not stop within {Numbers.Duration(configuration.LocalSilo.ShutdownTimeout)} and was killed."
            : $"The local silo stopped (exit code {silo.ExitCode}).");
    }

    /// <summary>The silo stopped answering while the sweep ran: why, its log's last lines, and how to resume.</summary>
    public static string Lost(LocalSilo silo, LaunchCommand.Settings settings, ClientOptions options, string id)
    {
        var what = silo.HasExited ? $"exited (exit code {silo.ExitCode})" : "stopped answering";
        return $"The local silo {what} while the sweep ran; gateway {string.Join(", ", options.EffectiveGateways)} does not answer. "
            + $"Last lines of its log ({silo.LogPath}):\n{silo.Tail()}\n"
            + $"Finished trials and checkpoints are kept in the silo's state; resume the sweep with:\n  {ResumeCommand(settings, id)}";
    }

    /// <summary>The command that resumes this sweep on a local silo: the same spec, the same id, the same gateway.</summary>
    public static string ResumeCommand(LaunchCommand.Settings settings, string id)
    {
        var gateways = settings.Gateways is { Length: > 0 } g ? string.Concat(g.Select(x => $" --gateway {x}")) : "";
        var silo = settings.Silo is null ? "" : $" --silo {settings.Silo}";
        return $"sweep launch {settings.Spec} --local --id {id}{gateways}{silo}";
    }
}
