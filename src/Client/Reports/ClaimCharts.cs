using Sweep.Client.Output;
using Sweep.Grains.Abstractions.Reports;

namespace Sweep.Client.Reports;

/// <summary>
/// A chart per claim from the report's statistics: means with their confidence intervals per level
/// (final width by init and by starting width, per layer; test error and undecided gates per group,
/// with the threshold), and the method's paired differences from its control.
/// </summary>
public static class ClaimCharts
{
    public static IReadOnlyList<ReportChart> Build(SweepReport report)
    {
        var charts = new List<ReportChart>();
        var confidence = Numbers.Percent(report.Criteria.Confidence).Replace(".00", "", StringComparison.Ordinal);
        foreach (var group in report.Groups.Where(g => g.CompletedTrials > 0 && g.Layers.Count > 0))
        {
            var slug = TrialGroup.Slugify(group.Label);
            foreach (var (claim, factor, levels, of) in new (string, string, IReadOnlyList<string>, Func<MetricRobustness, IReadOnlyList<LevelSummary>>)[]
                     {
                         (Claims.InitRobust, "initialization", group.Inits, m => m.ByInit),
                         (Claims.WidthRobust, "starting width multiplier k", group.Widths, m => m.ByWidth),
                     })
            {
                if (levels.Count < 2)
                {
                    continue;
                }
                var series = group.Layers.Select(l => new IntervalChart.Series(l.Layer, Points(levels, of(l.FinalWidth)))).ToArray();
                var verdict = group.Verdicts.FirstOrDefault(v => v.Claim == claim);
                charts.Add(new ReportChart($"claim-{slug}-{claim}", ReportSection.Claims, $"{group.Label} — {claim}",
                    $"{group.Label}: mean final width per {factor} level with its {confidence} t interval (the seed is the replicate), per layer. " +
                    $"Verdict: {(verdict is null ? "-" : Numbers.VerdictWord(verdict.Verdict))}." + (claim == Claims.WidthRobust ? $" Judged over widths >= {Numbers.Fixed(report.Criteria.MinWidth, 2)}." : ""),
                    IntervalChart.Create($"{group.ShortLabel()}: final width by {factor}", factor, "final width (units / filters)", levels, series))
                { Group = group.Label });
            }
        }

        var judged = report.Groups.Where(g => g.CompletedTrials > 0).ToArray();
        if (judged.Length > 0)
        {
            var categories = judged.Select(g => g.ShortLabel()).ToArray();
            var threshold = judged.Select(g => g.Verdicts.FirstOrDefault(v => v.Claim == Claims.Accurate)?.Threshold).Distinct().ToArray();
            var reference = threshold.Length == 1 ? threshold[0] : null;
            charts.Add(new ReportChart("claim-accurate", ReportSection.Claims, "accurate: test error by group",
                $"Mean test error of each group with its {confidence} t interval; the dashed line is the accuracy threshold" +
                (reference is null ? " (none: the claim is reported, not judged, or groups differ)." : "."),
                IntervalChart.Create("accurate: test error", "group", "test error (%)", categories,
                    [new IntervalChart.Series("test error", judged.Select((g, i) => Scaled(i, g.TestError?.Overall, 100)).OfType<IntervalChart.Point>().ToArray())],
                    reference * 100, reference is null ? null : "threshold")));
            charts.Add(new ReportChart("claim-deterministic", ReportSection.Claims, "deterministic: undecided gates by group",
                $"Mean gates left undecided at the end with their {confidence} t intervals: strictly between 0 and 1 (the claim) and beyond the trainer's tolerance.",
                IntervalChart.Create("deterministic: undecided gates at the end", "group", "undecided gates", categories,
                [
                    new IntervalChart.Series("strict (0 < theta < 1)", judged.Select((g, i) => Scaled(i, g.Undecided?.Overall, 1)).OfType<IntervalChart.Point>().ToArray()),
                    new IntervalChart.Series("tolerant", judged.Select((g, i) => Scaled(i, g.UndecidedTolerant?.Overall, 1)).OfType<IntervalChart.Point>().ToArray()),
                ], report.Criteria.MaxUndecided, "max undecided")));
        }

        foreach (var comparison in report.Comparisons.Where(c => c.Pairs > 0))
        {
            var counts = comparison.Differences.Where(d => d.Metric != "test error").ToArray();
            var categories = counts.Select(d => d.Metric.Replace(" final width", "", StringComparison.Ordinal).Replace(" undecided gates", " undecided", StringComparison.Ordinal)).ToArray();
            charts.Add(new ReportChart($"control-{TrialGroup.Slugify(comparison.ControlPrior)}", ReportSection.Control,
                $"prior={comparison.MethodPrior} minus prior={comparison.ControlPrior}",
                $"Paired differences (method - control) over {comparison.Pairs} matched trials, mean with its {confidence} t interval; below 0: the hyper-prior ends with fewer.",
                IntervalChart.Create($"method - control ({comparison.Pairs} pairs)", "quantity", "difference (gates / units)", categories,
                    [new IntervalChart.Series("method - control", counts.Select((d, i) => Scaled(i, d.Difference, 1)).OfType<IntervalChart.Point>().ToArray())],
                    0, "no difference", fromZero: false)));
        }
        return charts;
    }

    private static IntervalChart.Point[] Points(IReadOnlyList<string> levels, IReadOnlyList<LevelSummary> summaries) =>
        summaries.Where(s => s.Summary.Count > 0)
            .Select(s => new IntervalChart.Point(IndexOf(levels, s.Level), s.Summary.Mean, s.Summary.Lower, s.Summary.Upper))
            .Where(p => p.Category >= 0).ToArray();

    private static IntervalChart.Point? Scaled(int category, StatisticSummary? s, double scale) =>
        s is { Count: > 0 } ? new IntervalChart.Point(category, s.Mean * scale, s.Lower * scale, s.Upper * scale) : null;

    private static int IndexOf(IReadOnlyList<string> list, string value)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] == value)
            {
                return i;
            }
        }
        return -1;
    }

    private static string ShortLabel(this RobustnessGroup group) => group.Label.Replace($"arch={group.Architecture} ", "", StringComparison.Ordinal);
}
