using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using Sweep.Client.Cluster;
using Sweep.Client.Configuration;
using Sweep.Client.Output;
using Sweep.Grains.Abstractions.Sweeps;

namespace Sweep.Client.Commands;

/// <summary><c>sweep status [ID]</c>: counts by state, ETA and a progress bar per running trial; --watch follows live.</summary>
public sealed class StatusCommand(CliOutput output, ClientConfiguration configuration) : ClusterCommand<StatusCommand.Settings>(output, configuration)
{
    public sealed class Settings : ClusterSettings
    {
        [CommandArgument(0, "[ID]")]
        [Description("The sweep id. Default: the newest running sweep, else the newest sweep.")]
        public string? Id { get; init; }

        [CommandOption("-w|--watch")]
        [Description("Follow live until the sweep ends (Ctrl+C stops following, not the sweep).")]
        public bool Watch { get; init; }

        [CommandOption("--all")]
        [Description("Show every trial, not only the running, waiting and failed ones.")]
        public bool All { get; init; }

        public override ValidationResult Validate()
        {
            if (Id is not null && SweepIds.Check(Id) is { } error)
            {
                return ValidationResult.Error(error);
            }
            if (Watch && Json)
            {
                return ValidationResult.Error("--watch and --json do not go together: --json prints the status once.");
            }
            return base.Validate();
        }
    }

    protected override async Task<int> RunAsync(Settings settings, CancellationToken cancellationToken)
    {
        await using var connection = await ConnectAsync(settings, cancellationToken);
        var id = settings.Id ?? await DefaultSweepAsync(connection, cancellationToken);
        if (settings.Watch)
        {
            var final = await SweepQueries.FollowAsync(connection, id, Output.Out, ClientOptions(settings).RefreshInterval, settings.All, cancellationToken, Output.Message);
            if (!(Output.Out.Profile.Capabilities.Interactive && Output.Out.Profile.Capabilities.Ansi))
            {
                Output.Out.Write(StatusView.Render(final, settings.All));
            }
            return ExitCodes.Ok;
        }
        var status = await connection.GetLaunchedStatusAsync(id, cancellationToken);
        if (settings.Json)
        {
            Output.WriteRaw(SweepJson.Serialize(status));
        }
        else
        {
            Output.Out.Write(StatusView.Render(status, settings.All));
        }
        return ExitCodes.Ok;
    }

    private static async Task<string> DefaultSweepAsync(ClusterConnection connection, CancellationToken cancellationToken)
    {
        var sweeps = await connection.CallAsync(() => connection.Registry.List(), cancellationToken);
        var chosen = sweeps.Where(s => s.State == SweepState.Running).OrderByDescending(s => s.LaunchedAt).FirstOrDefault()
                     ?? sweeps.OrderByDescending(s => s.LaunchedAt).FirstOrDefault();
        return chosen?.SweepId ?? throw new UsageException("No sweeps on this cluster yet; start one with: sweep launch SPEC");
    }
}
