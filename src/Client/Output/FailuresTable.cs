using System.Globalization;
using Sweep.Grains.Abstractions.Specs;
using Sweep.Grains.Abstractions.Trials;
using Schema = Sweep.Options.TrialOptionSchema;

namespace Sweep.Client.Output;

/// <summary>
/// Why trials failed, per robustness group: a group whose every trial failed has no statistics to
/// show, and this table says why instead. No rows when no trial failed.
/// </summary>
public static class FailuresTable
{
    public static TableModel Build(IReadOnlyList<TrialResult> results)
    {
        var configurations = results.ToDictionary(r => r.Index, r => TrialFactors.GroupConfiguration(r.Settings));
        // Name a group by its architecture, its prior and whatever else differs between groups.
        var shown = configurations.Values.SelectMany(c => c.Keys).Distinct(StringComparer.Ordinal)
            .Where(k => k == Schema.Architecture.Name || k == Schema.Prior.Name
                || configurations.Values.Select(c => c.GetValueOrDefault(k, "")).Distinct(StringComparer.Ordinal).Count() > 1)
            .Order(StringComparer.Ordinal)
            .ToArray();
        string Label(TrialResult r) => string.Join(' ', shown.Select(k => $"{k}={configurations[r.Index].GetValueOrDefault(k, "")}"));

        var rows = new List<IReadOnlyList<string>>();
        foreach (var group in results.GroupBy(Label, StringComparer.Ordinal).Where(g => g.Any(Failed)).OrderBy(g => g.Min(r => r.Index)))
        {
            var failed = group.Where(Failed).OrderBy(r => r.Index).ToList();
            var completed = group.Count(r => r.State == TrialState.Completed);
            var reasons = failed.GroupBy(r => r.FailureReason ?? "failed", StringComparer.Ordinal)
                .Select(g => $"{g.Key} x{g.Count().ToString(CultureInfo.InvariantCulture)}");
            rows.Add(
            [
                group.Key,
                completed == 0 ? $"none: all {failed.Count} trials failed" : $"{completed} of {group.Count()} completed",
                string.Join(", ", reasons),
                $"#{failed[0].Index.ToString(CultureInfo.InvariantCulture)}: {failed[0].FailureMessage ?? failed[0].FailureReason ?? "failed"}",
            ]);
        }
        return new TableModel("Failed trials by group", ["Group", "Results", "Reasons", "First failure"], rows)
        {
            Notes = ["A failed trial has no metrics and counts in no statistic; a group none of whose trials completed has no statistics at all."],
        };
    }

    /// <summary>Whether any trial failed (the table has rows).</summary>
    public static bool AnyFailed(IReadOnlyList<TrialResult> results) => results.Any(Failed);

    private static bool Failed(TrialResult r) => r.State == TrialState.Failed;
}
