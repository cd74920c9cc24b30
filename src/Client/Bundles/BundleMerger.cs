using System.Text.Json;
using Sweep.Analysis;
using Sweep.Client.Exports;
using Sweep.Client.Output;
using Sweep.Grains.Abstractions.Specs;
using Sweep.Grains.Abstractions.Sweeps;
using Sweep.Grains.Abstractions.Trials;

namespace Sweep.Client.Bundles;

/// <summary>
/// Merges results bundles of parts of one design (<see cref="SpecMerger"/>) into the export the
/// whole design would have had, without a cluster. A trial is identified by its settings (indices
/// differ between parts) and is placed at its index in the merged design's expansion, the one the
/// coordinator uses. Each trial may have a completed result in one bundle only; a failed or
/// cancelled result of it elsewhere is superseded by the completed one (that is the run
/// `launch --only-missing` made again), and between two that did not complete the later one is kept.
/// The report is recomputed with the coordinator's analysis (<see cref="SweepAnalysis"/>) on the
/// merged spec, whose verdict criteria are the first bundle's.
/// </summary>
public static class BundleMerger
{
    public static async Task<MergedResults> LoadAndMergeAsync(IReadOnlyList<string> paths, CancellationToken cancellationToken) =>
        Merge(await ResultsBundle.LoadAllAsync(paths, cancellationToken));

    public static MergedResults Merge(IReadOnlyList<ResultsBundle> bundles)
    {
        var spec = SpecMerger.Merge(bundles);
        var sources = string.Join(", ", bundles.Select(b => b.Path));
        var check = SweepSpecValidator.Check(spec, SpecMerger.ExpansionRules);
        if (!check.IsValid)
        {
            throw new BundleException($"the design merged from {sources} is not a valid spec:\n  - {string.Join("\n  - ", check.Errors)}");
        }
        var design = check.Trials.ToDictionary(t => t.Describe(), StringComparer.Ordinal);

        var notices = new List<string>();
        var chosen = new Dictionary<string, (TrialResult Result, ResultsBundle Bundle)>(StringComparer.Ordinal);
        foreach (var bundle in bundles)
        {
            foreach (var result in bundle.Export.Results)
            {
                var key = TrialSpec.Describe(result.Settings);
                if (!design.ContainsKey(key))
                {
                    // For instance a bundle written before a default setting (such as validation) was added to every trial.
                    throw new BundleException($"{bundle.Path}: trial {result.Index} ({key}) is not a trial of the design as its spec expands today; results whose settings differ from the spec's trials cannot be merged.");
                }
                if (!chosen.TryGetValue(key, out var held))
                {
                    chosen[key] = (result, bundle);
                    continue;
                }
                var clash = $"trial {key} is in {Where(held.Result, held.Bundle)} and in {Where(result, bundle)}";
                if (held.Result.State == TrialState.Completed && result.State == TrialState.Completed)
                {
                    throw new BundleException($"{clash}, completed in both; the parts of a design must have disjoint trials.");
                }
                var keepNew = result.State == TrialState.Completed
                    || (held.Result.State != TrialState.Completed && result.FinishedAt > held.Result.FinishedAt);
                var (kept, keptIn) = keepNew ? (result, bundle) : held;
                notices.Add($"{clash}: the {kept.State.ToString().ToLowerInvariant()} result of {keptIn.Path} is used.");
                if (keepNew)
                {
                    chosen[key] = (result, bundle);
                }
            }
        }

        var results = chosen.Select(c => c.Value.Result with { Index = design[c.Key].Index, Grid = design[c.Key].Grid })
            .OrderBy(r => r.Index).ToArray();
        foreach (var other in bundles.Skip(1).Where(b => Json(b.Export.Spec!.Verdicts) != Json(spec.Verdicts)))
        {
            notices.Add($"{other.Path} sets other verdict criteria (the spec's verdicts section) than {bundles[0].Path}; the verdicts use those of {bundles[0].Path}.");
        }
        var sweepId = string.Join(" + ", bundles.Select(b => b.Export.SweepId).Distinct(StringComparer.Ordinal));
        var counts = new TrialCounts
        {
            Completed = results.Count(r => r.State == TrialState.Completed),
            Failed = results.Count(r => r.State == TrialState.Failed),
            Cancelled = results.Count(r => r.State == TrialState.Cancelled),
            Pending = check.Trials.Count - results.Length,
        };
        // Every trial of the design finished in some bundle: the set is complete, even if one part was exported while its sweep ran.
        var state = counts.Completed + counts.Failed == check.Trials.Count ? SweepState.Completed
            : bundles.Any(b => b.Export.State == SweepState.Running) ? SweepState.Running
            : SweepState.Cancelled;
        if (counts.Pending > 0 && state != SweepState.Running)
        {
            notices.Add($"the bundles hold {results.Length} of the design's {check.Trials.Count} trials; {counts.Pending} have no result (launch them with `sweep launch SPEC --only-missing {string.Join(' ', bundles.Select(b => b.Path))}`).");
        }
        var export = new SweepExport
        {
            SweepId = sweepId,
            Name = spec.Name,
            State = state,
            Counts = counts,
            Spec = spec,
            Report = SweepAnalysis.Analyze(spec, sweepId, check.Trials.Count, results),
            Results = results,
        };
        return new MergedResults(export, notices);
    }

    private static string Where(TrialResult result, ResultsBundle bundle) =>
        $"{bundle.Path} (trial {result.Index} of sweep {bundle.Export.SweepId}, {result.State.ToString().ToLowerInvariant()})";

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, SweepJson.Options);
}
