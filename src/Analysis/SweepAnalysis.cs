using Sweep.Grains.Abstractions.Reports;
using Sweep.Grains.Abstractions.Specs;
using Sweep.Grains.Abstractions.Trials;
using Schema = Sweep.Options.TrialOptionSchema;

namespace Sweep.Analysis;

/// <summary>
/// The one entry point of the robustness analysis, called live by the sweep coordinator and offline
/// on a results bundle: trials grouped by every option but the robustness factors (seed, init,
/// width), per group the statistics with intervals and the verdict on each claim, and the method
/// compared with its fixed-prior control. A sweep with unfinished trials gets provisional verdicts.
/// </summary>
public static class SweepAnalysis
{
    /// <param name="spec">The sweep's spec (its `verdicts` section and dataset set the criteria); null: the defaults, no accuracy threshold.</param>
    /// <param name="sweepId">The sweep's id.</param>
    /// <param name="totalTrials">Trials the sweep expands to, finished or not.</param>
    /// <param name="results">The results delivered so far (completed, failed, cancelled).</param>
    /// <param name="generatedAt">When the report is made (now by default).</param>
    public static SweepReport Analyze(SweepSpec? spec, string sweepId, int totalTrials, IReadOnlyList<TrialResult> results, DateTime? generatedAt = null)
    {
        var criteria = VerdictDefaults.Criteria(spec);
        var finished = results.Where(r => r.State.IsTerminal()).ToArray();
        var unfinished = Math.Max(0, totalTrials - finished.Length);
        var provisional = unfinished > 0;
        var byConfiguration = finished.GroupBy(r => TrialFactors.ConfigurationKey(r.Settings), StringComparer.Ordinal).ToArray();
        var configurations = byConfiguration.Select(g => TrialFactors.Configuration(g.First().Settings)).ToArray();
        var varied = configurations.SelectMany(c => c.Keys).Distinct(StringComparer.Ordinal)
            .Where(k => configurations.Select(c => c.GetValueOrDefault(k)).Distinct(StringComparer.Ordinal).Count() > 1)
            .Where(k => k != Schema.Architecture.Name && k != Schema.Prior.Name)
            .OrderBy(k => k, StringComparer.Ordinal)
            .ToArray();
        var groups = byConfiguration.Select(g => (Group: GroupAnalysis.Build(g.ToArray(), varied, spec, criteria, provisional), Trials: g.ToArray()))
            .OrderBy(g => g.Group.Architecture, StringComparer.Ordinal).ThenBy(g => g.Group.Label, StringComparer.Ordinal).ToArray();
        return new SweepReport
        {
            SweepId = sweepId,
            Name = spec?.Name ?? "",
            GeneratedAt = generatedAt ?? DateTime.UtcNow,
            TotalTrials = totalTrials,
            CompletedTrials = finished.Count(r => r.State == TrialState.Completed),
            FailedTrials = finished.Count(r => r.State == TrialState.Failed),
            CancelledTrials = finished.Count(r => r.State == TrialState.Cancelled),
            UnfinishedTrials = unfinished,
            Provisional = provisional,
            Criteria = criteria,
            Groups = groups.Select(g => g.Group).ToArray(),
            Comparisons = ControlComparisons.Compare(groups, criteria),
        };
    }
}
