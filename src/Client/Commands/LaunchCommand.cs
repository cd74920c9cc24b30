using System.ComponentModel;
using System.Diagnostics;
using Spectre.Console;
using Spectre.Console.Cli;
using Sweep.Client.Cluster;
using Sweep.Client.Configuration;
using Sweep.Client.Hosting;
using Sweep.Client.Output;
using Sweep.Client.Reports;
using Sweep.Grains.Abstractions.Specs;
using Sweep.Grains.Abstractions.Sweeps;
using Sweep.Grains.Abstractions.Telemetry;
using Sweep.Grains.Abstractions.Trials;

namespace Sweep.Client.Commands;

/// <summary>
/// <c>sweep launch SPEC</c>: checks the spec here (nothing is sent when it is invalid), launches
/// the sweep and prints its id; with --wait follows it to the end and prints the robustness table;
/// with --local first starts a silo as a child process and stops it at the end.
/// </summary>
public sealed class LaunchCommand(CliOutput output, ClientConfiguration configuration) : ClusterCommand<LaunchCommand.Settings>(output, configuration)
{
    public sealed class Settings : ClusterSettings
    {
        [CommandArgument(0, "<SPEC>")]
        [Description("The sweep spec, YAML or JSON (see examples/).")]
        public string Spec { get; init; } = "";

        [CommandOption("--local")]
        [Description("Start a silo on this machine as a child process for this sweep (implies --wait); it stops when the sweep ends. If a silo already answers at the gateway, that one is used.")]
        public bool Local { get; init; }

        [CommandOption("--wait")]
        [Description("Follow the sweep until it ends, then print the robustness table. Exit code 2 when a trial failed or the sweep was cancelled.")]
        public bool Wait { get; init; }

        [CommandOption("--report <DIR>")]
        [Description("When the sweep ends, write its report (HTML, charts, exports) into DIR (implies --wait).")]
        public string? Report { get; init; }

        [CommandOption("--id <ID>")]
        [Description("Sweep id to use instead of a new one (NAME-yyyyMMdd-HHmmss-xxxx). Launching the same spec under an id again is a no-op.")]
        public string? Id { get; init; }

        [CommandOption("--silo <PATH>")]
        [Description("With --local: Sweep.Silo.dll, its executable or its folder. Default: $SWEEP_SILO_PATH, Sweep:LocalSilo:Path, next to the client, or src/Silo/bin of this checkout.")]
        public string? Silo { get; init; }

        [CommandOption("--all")]
        [Description("While following: show every trial, not only the running, waiting and failed ones.")]
        public bool All { get; init; }

        [CommandOption("--dry-run")]
        [Description("Check the spec and its dataset, print the number of trials and the grids, and stop: nothing is launched and no cluster is contacted. Exit code 0 when valid, 1 when not.")]
        public bool DryRun { get; init; }

        [CommandOption("--only-missing <FILE>")]
        [Description("Results bundles (the JSON of `sweep results ID --format json`) of this design run before, here or on another machine: launch only the trials that did not complete in them (failed ones run again). Repeat the option or list more files after the first. Exit code 1 when a bundle belongs to another spec.")]
        public string[]? OnlyMissing { get; init; }

        [CommandArgument(1, "[BUNDLE]")]
        [Description("More bundles for --only-missing.")]
        public string[]? MoreBundles { get; init; }

        public bool Follows => Wait || Local || Report is not null;

        /// <summary>Every bundle given to --only-missing, in order.</summary>
        public IReadOnlyList<string> Bundles => [.. OnlyMissing ?? [], .. MoreBundles ?? []];

        public override ValidationResult Validate()
        {
            if (!File.Exists(Spec))
            {
                return ValidationResult.Error(Directory.Exists(Spec) ? $"spec '{Spec}' is a directory, not a file." : $"spec file '{Spec}' does not exist.");
            }
            if (Id is not null && SweepIds.Check(Id) is { } idError)
            {
                return ValidationResult.Error($"--id: {idError}");
            }
            if (Silo is not null && !Local)
            {
                return ValidationResult.Error("--silo only applies with --local.");
            }
            if (Report is not null && File.Exists(Report))
            {
                return ValidationResult.Error($"--report {Report}: is a file, not a directory.");
            }
            if (MoreBundles is { Length: > 0 } && OnlyMissing is not { Length: > 0 })
            {
                return ValidationResult.Error($"unexpected argument '{MoreBundles[0]}': launch takes one spec; bundles follow --only-missing.");
            }
            if (Bundles.FirstOrDefault(b => !File.Exists(b)) is { } missing)
            {
                return ValidationResult.Error($"--only-missing {missing}: {(Directory.Exists(missing) ? "is a directory, not a bundle file" : "the file does not exist")}.");
            }
            return base.Validate();
        }
    }

    protected override async Task<int> RunAsync(Settings settings, CancellationToken cancellationToken)
    {
        var options = ClientOptions(settings);
        if (await new LaunchSpecLoader(Output).LoadAsync(settings, options, cancellationToken) is not { } check)
        {
            return ExitCodes.Ok;
        }
        if (settings.DryRun)
        {
            TableRenderer.Write(Output.Out, GridsTable.Build(check));
            Output.Message($"Dry run: the spec is valid ({check.Trials.Count} trial{(check.Trials.Count == 1 ? "" : "s")}); nothing was launched.");
            return ExitCodes.Ok;
        }
        using var telemetry = ClientTelemetry.StartIfConfigured();
        Output.Message($"Spec {check.Spec.Name}: {check.Trials.Count} trial{(check.Trials.Count == 1 ? "" : "s")} ({string.Join(", ", check.Trials.GroupBy(t => t.Grid).Select(g => $"{g.Key}: {g.Count()}"))}).");
        foreach (var warning in check.Warnings)
        {
            Output.Message($"Warning: {warning}");
        }

        var id = settings.Id ?? SweepIds.New(check.Spec.Name);
        var local = new LocalSiloSession(Output, Configuration);
        await using var silo = settings.Local ? await local.StartAsync(settings, options, cancellationToken) : null;
        try
        {
            await using var connection = silo is null
                ? await new ClusterConnector(options, Output.Message).ConnectAsync(cancellationToken)
                : await local.ConnectAsync(silo, options, cancellationToken);
            return await LaunchAndFollowAsync(connection, settings, options, check, id, silo, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && silo is not null)
        {
            Output.Problem($"Interrupted: stopping the local silo. The sweep is kept in the silo's state; continue it with: {LocalSiloSession.ResumeCommand(settings, id)}");
            return ExitCodes.Failure;
        }
        catch (ClusterUnreachableException) when (silo is not null)
        {
            Output.Problem(LocalSiloSession.Lost(silo, settings, options, id));
            return ExitCodes.Failure;
        }
        finally
        {
            if (silo is not null)
            {
                await local.StopAsync(silo);
            }
        }
    }

    private async Task<int> LaunchAndFollowAsync(
        ClusterConnection connection, Settings settings, ClientOptions options, SpecCheck check, string id, LocalSilo? silo, CancellationToken cancellationToken)
    {
        var spec = check.Spec;
        SweepStatus launched;
        using (var span = ClientTelemetry.Source.StartActivity(TelemetryNames.Spans.Launch, ActivityKind.Client))
        {
            span?.SetTag(TelemetryNames.Attributes.Sweep, id);
            span?.SetTag(TelemetryNames.Attributes.TrialCount, check.Trials.Count);
            launched = await connection.CallAsync(() => connection.Sweep(id).Launch(spec), cancellationToken);
        }
        Output.Message($"Launched sweep {id}: {launched.Counts.Total} trials on {(launched.ClusterSlots > 0 ? $"{launched.ClusterSlots} slots" : "the cluster")}.");
        if (spec.Skip.Count > 0 && launched.Counts.Total != check.Trials.Count)
        {
            // A silo built before skip lists drops the field and runs the whole design.
            Output.Problem($"The cluster expanded the spec into {launched.Counts.Total} trials, not the {check.Trials.Count} missing ones: its silos do not know --only-missing. Cancel the sweep (sweep cancel {id}) and update the silos.");
            return ExitCodes.Failure;
        }
        if (!settings.Follows)
        {
            if (settings.Json)
            {
                Output.WriteRaw(SweepJson.Serialize(launched));
            }
            else
            {
                Output.Out.WriteLine(id);
                Output.Message($"Follow it with: sweep status {id} --watch");
            }
            return ExitCodes.Ok;
        }
        if (!settings.Json)
        {
            Output.Out.WriteLine(id);
        }

        // A cluster failing over is waited for; a local silo that exited is not coming back by itself.
        var final = await SweepQueries.FollowAsync(connection, id, Output.Error, options.RefreshInterval, settings.All, cancellationToken,
            Output.Message, silo is null ? null : () => !silo.HasExited);
        var export = await SweepQueries.ExportAsync(connection, id, cancellationToken);
        if (settings.Json)
        {
            Output.WriteRaw(SweepJson.Serialize(export));
        }
        else
        {
            foreach (var table in RobustnessTable.BuildAll(export.Report))
            {
                TableRenderer.Write(Output.Out, table);
            }
            if (FailuresTable.AnyFailed(export.Results))
            {
                TableRenderer.Write(Output.Out, FailuresTable.Build(export.Results));
            }
        }
        if (export.Results.FirstOrDefault(r => r.State == TrialState.Failed) is { } failed)
        {
            // The reason belongs with the exit code, also under --json.
            Output.Problem($"{export.Results.Count(r => r.State == TrialState.Failed)} of {export.Results.Count} trials failed; the first, #{failed.Index}: {failed.FailureReason}: {failed.FailureMessage}");
        }
        if (settings.Report is { } directory)
        {
            var files = new ReportGenerator().Write(export, directory);
            Output.Message($"Report: {files.Html}");
        }
        return Outcome(final);
    }

    /// <summary>0 when every trial completed; 2 when a trial failed or the sweep was cancelled.</summary>
    public static int Outcome(SweepStatus status) =>
        status.State == SweepState.Completed && status.Counts.Failed == 0 && status.Counts.Cancelled == 0
        && status.Trials.All(t => t.State == TrialState.Completed)
            ? ExitCodes.Ok
            : ExitCodes.Failure;
}
