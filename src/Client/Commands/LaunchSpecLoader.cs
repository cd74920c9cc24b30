using System.Net;
using Sweep.Client.Bundles;
using Sweep.Client.Cluster;
using Sweep.Client.Configuration;
using Sweep.Client.Output;
using Sweep.Grains.Abstractions.Specs;
using Sweep.Grains.Abstractions.Sweeps;

namespace Sweep.Client.Commands;

/// <summary>
/// The spec <c>sweep launch</c> sends: parsed and checked here (nothing is sent when it is invalid), its dataset
/// checked when the silos run on this machine, reduced to the trials missing from --only-missing bundles, and
/// warned about where its defaults are known to go wrong.
/// </summary>
public sealed class LaunchSpecLoader(CliOutput output)
{
    /// <summary>The checked spec and its trials; null when the bundles leave nothing to launch.</summary>
    public async Task<SpecCheck?> LoadAsync(LaunchCommand.Settings settings, ClientOptions options, CancellationToken cancellationToken)
    {
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
                output.Message($"--only-missing: {running.Path} was written while sweep {running.Export.SweepId} was running; its unfinished trials are launched again here.");
            }
            output.Message($"--only-missing: {plan.Skipped} of the {plan.DesignTrials} trials of {check.Spec.Name} completed in the bundles and are skipped; {plan.ToLaunch} to launch.");
            if (plan.Unknown > 0)
            {
                output.Message($"--only-missing: {plan.Unknown} completed trial{(plan.Unknown == 1 ? " of the bundles is" : "s of the bundles are")} not in this spec's grids and not launched again.");
            }
            if (plan.ToLaunch == 0)
            {
                output.Message("Nothing to launch: every trial of the design completed in the bundles. `sweep report --from` rebuilds the report from them.");
                return null;
            }
            // The coordinator expands the spec with its skip list the same way.
            check = SweepSpecValidator.Check(plan.Spec, rules);
            check.ThrowIfInvalid();
        }
        WarnAboutDefaultCost(check);
        return check;
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
            output.Message($"Dataset {summary}.");
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
            output.Problem($"Warning: {small.Count} trial{(small.Count == 1 ? "" : "s")} without a cost: {warning} (options: {{ cost: ... }})");
        }
    }

    private static bool IsLoopback(string gateway) =>
        GatewayAddress.TryParse(gateway, out var address, out _)
        && (address.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(address.Host, out var ip) && IPAddress.IsLoopback(ip)));
}
