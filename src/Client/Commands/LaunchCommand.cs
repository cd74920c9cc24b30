using System.ComponentModel;
using System.Diagnostics;
using System.Net;
using Spectre.Console;
using Spectre.Console.Cli;
using Sweep.Client.Bundles;
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
        var rules = new SweepSpecRules
        {
            MaxTrials = options.MaxTrials,
            // A dataset directory must exist where the silos run: check it here only when they run here.
            CheckDatasetDirectory = settings.Local || options.EffectiveGateways.All(IsLoopback),
        };
        var check = await SweepSpecParser.ParseFileAsync(settings.Spec, rules, cancellationToken);
        if (rules.CheckDatasetDirectory)
        {
            await CheckDatasetAsync(check.Spec.Dataset, cancellationToken);
        }
        if (settings.Bundles.Count > 0)
        {
            var bundles = await ResultsBundle.LoadAllAsync(settings.Bundles, cancellationToken);
            var plan = MissingTrials.Plan(check, settings.Spec, bundles);
            foreach (var running in bundles.Where(b => b.Export.State == SweepState.Running))
            {
                Output.Message($"--only-missing: {running.Path} was written while sweep {running.Export.SweepId} was running; its unfinished trials are launched again here.");
            }
            Output.Message($"--only-missing: {plan.Skipped} of the {plan.DesignTrials} trials of {check.Spec.Name} completed in the bundles and are skipped; {plan.ToLaunch} to launch.");
            if (plan.Unknown > 0)
            {
                Output.Message($"--only-missing: {plan.Unknown} completed trial{(plan.Unknown == 1 ? " of the bundles is" : "s of the bundles are")} not in this spec's grids and not launched again.");
            }
            if (plan.ToLaunch == 0)
            {
                Output.Message("Nothing to launch: every trial of the design completed in the bundles. `sweep report --from` rebuilds the report from them.");
                return ExitCodes.Ok;
            }
            // The coordinator expands the spec with its skip list the same way.
            check = SweepSpecValidator.Check(plan.Spec, rules);
            check.ThrowIfInvalid();
        }
        var spec = check.Spec;
        WarnAboutDefaultCost(check);
        if (settings.DryRun)
        {
            TableRenderer.Write(Output.Out, GridsTable.Build(check));
            Output.Message($"Dry run: the spec is valid ({check.Trials.Count} trial{(check.Trials.Count == 1 ? "" : "s")}); nothing was launched.");
            return ExitCodes.Ok;
        }
        using var telemetry = ClientTelemetry.StartIfConfigured();
        Output.Message($"Spec {spec.Name}: {check.Trials.Count} trial{(check.Trials.Count == 1 ? "" : "s")} ({string.Join(", ", check.Trials.GroupBy(t => t.Grid).Select(g => $"{g.Key}: {g.Count()}"))}).");
        foreach (var warning in check.Warnings)
        {
            Output.Message($"Warning: {warning}");
        }

        var id = settings.Id ?? SweepIds.New(spec.Name);
        await using var silo = settings.Local ? await StartLocalSiloAsync(settings, options, cancellationToken) : null;
        try
        {
            await using var connection = silo is null
                ? await new ClusterConnector(options, Output.Message).ConnectAsync(cancellationToken)
                : await ConnectToLocalSiloAsync(silo, options, cancellationToken);

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
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && silo is not null)
        {
            Output.Problem($"Interrupted: stopping the local silo. The sweep is kept in the silo's state; continue it with: {ResumeCommand(settings, id)}");
            return ExitCodes.Failure;
        }
        catch (ClusterUnreachableException) when (silo is not null)
        {
            var what = silo.HasExited ? $"exited (exit code {silo.ExitCode})" : "stopped answering";
            Output.Problem($"The local silo {what} while the sweep ran; gateway {string.Join(", ", options.EffectiveGateways)} does not answer. "
                + $"Last lines of its log ({silo.LogPath}):\n{silo.Tail()}\n"
                + $"Finished trials and checkpoints are kept in the silo's state; resume the sweep with:\n  {ResumeCommand(settings, id)}");
            return ExitCodes.Failure;
        }
        finally
        {
            if (silo is not null)
            {
                Output.Message($"Stopping the local silo (its log: {silo.LogPath}).");
                await silo.StopAsync();
                Output.Message(silo.Killed
                    ? $"The local silo did not stop within {Numbers.Duration(Configuration.LocalSilo.ShutdownTimeout)} and was killed."
                    : $"The local silo stopped (exit code {silo.ExitCode}).");
            }
        }
    }

    /// <summary>The command that resumes this sweep on a local silo: the same spec, the same id, the same gateway.</summary>
    private static string ResumeCommand(Settings settings, string id)
    {
        var gateways = settings.Gateways is { Length: > 0 } g ? string.Concat(g.Select(x => $" --gateway {x}")) : "";
        var silo = settings.Silo is null ? "" : $" --silo {settings.Silo}";
        return $"sweep launch {settings.Spec} --local --id {id}{gateways}{silo}";
    }

    /// <summary>0 when every trial completed; 2 when a trial failed or the sweep was cancelled.</summary>
    public static int Outcome(SweepStatus status) =>
        status.State == SweepState.Completed && status.Counts.Failed == 0 && status.Counts.Cancelled == 0
        && status.Trials.All(t => t.State == TrialState.Completed)
            ? ExitCodes.Ok
            : ExitCodes.Failure;

    private async Task<LocalSilo?> StartLocalSiloAsync(Settings settings, ClientOptions options, CancellationToken cancellationToken)
    {
        // A silo already answering at the gateway is used as it is (and left running).
        var probe = new ClientOptions { Gateways = options.EffectiveGateways.ToList(), ClusterId = options.ClusterId, ServiceId = options.ServiceId, ConnectAttempts = 1, CallAttempts = options.CallAttempts };
        try
        {
            await using var existing = await new ClusterConnector(probe).ConnectAsync(cancellationToken);
            Output.Message($"A silo already answers at {string.Join(", ", options.EffectiveGateways)}; launching there and leaving it running.");
            return null;
        }
        catch (ClusterUnreachableException)
        {
            // Expected: start our own.
        }
        var local = Configuration.LocalSilo;
        var command = SiloLocator.Locate(settings.Silo ?? local.Path);
        var silo = LocalSilo.Start(command, local, Directory.GetCurrentDirectory());
        Output.Message($"Started a local silo (pid {silo.ProcessId}) from {command.Location}; its log: {silo.LogPath}");
        return silo;
    }

    private async Task<ClusterConnection> ConnectToLocalSiloAsync(LocalSilo silo, ClientOptions options, CancellationToken cancellationToken)
    {
        var startup = Configuration.LocalSilo.StartupTimeout;
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

    /// <summary>
    /// The dataset directory a spec names, checked here as the silos will check it (structure, labels
    /// against the declared classes, declared checksums) so that bad data stops the launch with the
    /// file and the fault (exit 1) instead of failing every trial. A known dataset is fetched and
    /// verified by the silos against its published checksums.
    /// </summary>
    private async Task CheckDatasetAsync(string dataset, CancellationToken cancellationToken)
    {
        if (Sweep.Pruning.Data.KnownDatasets.Find(dataset) is not null)
        {
            return;
        }
        try
        {
            var summary = await Task.Run(() => Sweep.Pruning.Data.IdxDataset.Check(dataset), cancellationToken);
            Output.Message($"Dataset {summary}.");
        }
        catch (Exception e) when (e is Sweep.Pruning.Data.DatasetFormatException or IOException or UnauthorizedAccessException)
        {
            throw new SweepSpecException([$"dataset: {e.Message}"]);
        }
    }

    /// <summary>Trials that leave the cost at its default on few examples (train-limit) are warned: they tend to collapse.</summary>
    private void WarnAboutDefaultCost(SpecCheck check)
    {
        var small = check.Trials
            .Where(t => !t.Settings.ContainsKey("cost") && t.Settings.TryGetValue("train-limit", out var limit)
                && int.TryParse(limit, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out _))
            .Select(t => int.Parse(t.Settings["train-limit"], System.Globalization.CultureInfo.InvariantCulture))
            .Where(n => n < Sweep.Pruning.Training.DefaultCostAdvice.ReferenceExamples)
            .ToList();
        if (small.Count > 0 && Sweep.Pruning.Training.DefaultCostAdvice.Warning(costSet: false, small.Min()) is { } warning)
        {
            Output.Problem($"Warning: {small.Count} trial{(small.Count == 1 ? "" : "s")} without a cost: {warning} (options: {{ cost: ... }})");
        }
    }

    private static bool IsLoopback(string gateway) =>
        GatewayAddress.TryParse(gateway, out var address, out _)
        && (address.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(address.Host, out var ip) && IPAddress.IsLoopback(ip)));
}
