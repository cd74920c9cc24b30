using System.Globalization;
using Sweep.Grains.Abstractions.Reports;

namespace Sweep.Client.Output;

/// <summary>
/// The report's tables: per group and gated layer the final width with its interval, the pruning
/// level, test error and undecided gates with intervals, the failures counted; the verdict on each
/// claim (holds, fails, inconclusive) with its test and detail; the effect of each factor against
/// the seed noise; and the method against its fixed-prior control.
/// </summary>
public static class RobustnessTable
{
    /// <summary>Every table of the report, in the order the CLI prints them.</summary>
    public static IReadOnlyList<TableModel> BuildAll(SweepReport report)
    {
        var tables = new List<TableModel> { Build(report), BuildVerdicts(report) };
        if (report.Groups.Any(g => g.Effects.Count > 0))
        {
            tables.Add(BuildEffects(report));
        }
        if (report.Comparisons.Count > 0)
        {
            tables.Add(BuildControl(report));
        }
        return tables;
    }

    public static TableModel Build(SweepReport report)
    {
        var confidence = Numbers.Percent(report.Criteria.Confidence).Replace(".00", "", StringComparison.Ordinal);
        // Validation error beside test error when the trials held a validation split (settings are chosen on it).
        var validation = report.Groups.Any(g => g.ValidationError is not null);
        var columns = new List<string>
        {
            "Group", "Trials", "Layer", "Start width", $"Final width (mean [{confidence}])", "CV",
            "Weights kept", "FLOPs kept", $"Test error (mean [{confidence}])",
        };
        if (validation)
        {
            columns.Add($"Validation error (mean [{confidence}])");
        }
        columns.AddRange(["Undecided (strict / tol.)", "Collapsed or diverged"]);
        var rows = new List<IReadOnlyList<string>>();
        var starts = new HashSet<int>();
        foreach (var group in report.Groups)
        {
            starts.Add(rows.Count);
            var groupCells = new List<string>
            {
                group.ParametersKept is { } p ? Numbers.PercentInterval(p.Overall) : "-",
                group.FlopsKept is { } f ? Numbers.PercentInterval(f.Overall) : "-",
                group.TestError is { } e ? Numbers.PercentInterval(e.Overall) : "-",
            };
            if (validation)
            {
                groupCells.Add(group.ValidationError is { } v ? Numbers.PercentInterval(v.Overall) : "-");
            }
            groupCells.AddRange([Undecided(group), Failures(group)]);
            if (group.Layers.Count == 0)
            {
                rows.Add([group.Label, Trials(group), "-", "-", "-", "-", .. groupCells]);
                continue;
            }
            for (var l = 0; l < group.Layers.Count; l++)
            {
                var layer = group.Layers[l];
                var first = l == 0;
                rows.Add(
                [
                    first ? group.Label : "",
                    first ? Trials(group) : "",
                    layer.Layer,
                    Range(layer.InitialWidth.Overall),
                    Numbers.MeanInterval(layer.FinalWidth.Overall),
                    Numbers.Cv(layer.FinalWidth.Overall),
                    .. first ? groupCells : groupCells.Select(_ => ""),
                ]);
            }
        }
        var notes = new List<string>
        {
            $"[lo, hi]: the {confidence} t interval of the mean over the group's completed trials (the seed is the replicate); n = trials; CV = sd / mean.",
            "Validation error, where shown: error on the held-out training images the settings are chosen on; test error is reported, not tuned on.",
            "Weights / FLOPs kept: fraction of the starting network's parameters / forward multiply-adds left after pruning.",
            "Undecided: mean gates strictly between 0 and 1 at the end / beyond the trainer's tolerance.",
            "Collapsed or diverged: failures of the method, counted with a Wilson interval; trials that failed for other reasons (cancelled, lost, errors) are listed apart and excluded.",
        };
        if (report.Provisional)
        {
            notes.Insert(0, $"PROVISIONAL: {report.UnfinishedTrials} of {report.TotalTrials} trials have not finished; every number may still change.");
        }
        return new TableModel("Robustness", columns, rows) { GroupStarts = starts, Notes = notes };
    }

    public static TableModel BuildVerdicts(SweepReport report)
    {
        var columns = new List<string> { "Group" };
        columns.AddRange(Claims.All);
        var rows = report.Groups.Select(g => (IReadOnlyList<string>)[g.Label, .. Claims.All.Select(c => Cell(g.Verdicts.FirstOrDefault(v => v.Claim == c)))]).ToList();
        var c = report.Criteria;
        var notes = new List<string>();
        if (report.Provisional)
        {
            notes.Add($"PROVISIONAL: {report.UnfinishedTrials} of {report.TotalTrials} trials have not finished.");
        }
        notes.AddRange(
        [
            $"deterministic: every completed trial ends with at most {c.MaxUndecided} gate(s) strictly between 0 and 1 (one counterexample fails it); the tolerant count is shown beside it.",
            $"init-robust / width-robust: TOST equivalence of level means within +-{Numbers.Percent(c.WidthMargin)} of each layer's mean final width and +-{Numbers.Fixed(c.ErrorMargin * 100, 2)} points of test error, Holm-adjusted across layers and claims; widths below {Numbers.Fixed(c.MinWidth, 2)} are not judged; fails when collapses and divergences exceed {Numbers.Percent(c.MaxFailureRate)} (Wilson lower bound).",
            $"accurate: one-sided t of the mean test error against the threshold ({c.MaxTestErrorSource}).",
            $"Inconclusive: fewer than {c.MinTrials} completed trials per level, an interval straddling the margin, or nothing to judge against. Confidence {Numbers.Percent(c.Confidence)}.",
        ]);
        notes.AddRange(VerdictDetails(report));
        return new TableModel("Verdicts", columns, rows) { Notes = notes };
    }

    /// <summary>Every verdict's detail line, per group.</summary>
    public static IReadOnlyList<string> VerdictDetails(SweepReport report) =>
        report.Groups.SelectMany(g => g.Verdicts.Select(v => $"{g.Label}: {v.Claim} {Numbers.VerdictWord(v.Verdict)}{(v.Provisional ? " (provisional)" : "")}: {v.Detail}")).ToArray();

    public static TableModel BuildEffects(SweepReport report)
    {
        var columns = new[] { "Group", "Quantity", "Factor", "Variance share [interval]", "F (df)", "p", "Seed noise sd", "Trials" };
        var rows = new List<IReadOnlyList<string>>();
        var starts = new HashSet<int>();
        foreach (var group in report.Groups.Where(g => g.Effects.Count > 0))
        {
            starts.Add(rows.Count);
            var first = true;
            foreach (var e in group.Effects)
            {
                var error = e.Metric == "test error";
                rows.Add(
                [
                    first ? group.Label : "", e.Metric, e.Factor,
                    $"{Numbers.Percent(e.Share)} [{Numbers.Percent(e.ShareLower)}, {Numbers.Percent(e.ShareUpper)}]",
                    $"{(double.IsPositiveInfinity(e.FStatistic) ? "inf" : Numbers.Fixed(e.FStatistic, 2))} ({e.DegreesOfFreedomFactor}, {e.DegreesOfFreedomNoise})",
                    Numbers.P(e.PValue),
                    error ? Numbers.Percent(e.NoiseStandardDeviation) : Numbers.Fixed(e.NoiseStandardDeviation, 1),
                    e.Trials.ToString(CultureInfo.InvariantCulture),
                ]);
                first = false;
            }
        }
        return new TableModel("Effect of each factor", columns, rows)
        {
            GroupStarts = starts,
            Notes =
            [
                "Variance share: SS(factor) / (SS(factor) + SS(seeds)) within each level of the other factor, pooled (partial eta squared); interval: percentile bootstrap over seeds within cells.",
                "F and p: the one-way F-test of the factor against the seed-to-seed noise floor (the pooled within-cell sd).",
            ],
        };
    }

    public static TableModel BuildControl(SweepReport report)
    {
        var columns = new[] { "Method vs control", "Pairs", "Quantity", "Method", "Control", "Difference [interval]", "p (adjusted)", "Outcome" };
        var rows = new List<IReadOnlyList<string>>();
        var starts = new HashSet<int>();
        var notes = new List<string>();
        foreach (var comparison in report.Comparisons)
        {
            starts.Add(rows.Count);
            var first = true;
            foreach (var d in comparison.Differences)
            {
                var percent = d.Metric == "test error";
                string Of(StatisticSummary s) => percent ? Numbers.PercentInterval(s) : Numbers.MeanInterval(s);
                rows.Add(
                [
                    first ? $"prior={comparison.MethodPrior} vs prior={comparison.ControlPrior}" : "",
                    first ? Pairs(comparison) : "",
                    d.Metric, Of(d.Method), Of(d.Control), Of(d.Difference),
                    $"{Numbers.P(d.PValue)} ({Numbers.P(d.PValueAdjusted)})",
                    d.Detected ? "difference" : "none detected",
                ]);
                first = false;
                notes.Add(d.Sentence);
            }
            notes.Add($"{comparison.MethodGroup} vs {comparison.ControlGroup}: {comparison.Test}.");
        }
        return new TableModel("Method vs control", columns, rows) { GroupStarts = starts, Notes = notes };
    }

    private static string Pairs(ControlComparison c) =>
        c.UnpairedMethodTrials + c.UnpairedControlTrials == 0 ? c.Pairs.ToString(CultureInfo.InvariantCulture)
        : $"{c.Pairs} ({c.UnpairedMethodTrials} method, {c.UnpairedControlTrials} control unpaired)";

    private static string Trials(RobustnessGroup group)
    {
        var method = group.MethodFailures.FirstOrDefault(f => f.Reason == "collapsed or diverged")?.Count ?? 0;
        var excluded = group.ExcludedFailures.Values.Sum();
        var parts = new List<string> { $"{group.CompletedTrials} ok" };
        if (group.FailedTrials > 0)
        {
            parts.Add($"{group.FailedTrials} failed");
        }
        if (excluded > 0)
        {
            parts.Add($"{excluded} excluded ({string.Join(", ", group.ExcludedFailures.Select(e => $"{e.Key} {e.Value}"))})");
        }
        return parts.Count == 1 && method == 0 ? group.CompletedTrials.ToString(CultureInfo.InvariantCulture) : string.Join(", ", parts);
    }

    private static string Failures(RobustnessGroup group) =>
        group.MethodFailures.FirstOrDefault(f => f.Reason == "collapsed or diverged") is { Trials: > 0 } f
            ? $"{f.Count} of {f.Trials}: {Numbers.Percent(f.Rate)} [{Numbers.Percent(f.Lower)}, {Numbers.Percent(f.Upper)}]"
            : "-";

    private static string Cell(ClaimVerdict? verdict)
    {
        if (verdict is null)
        {
            return "inconclusive";
        }
        var word = verdict is { Verdict: Verdict.Inconclusive, Claim: Claims.Accurate, Threshold: null } ? "reported" : Numbers.VerdictWord(verdict.Verdict);
        if (verdict.MissingTrials > 0)
        {
            word += $" ({verdict.MissingTrials} trial{(verdict.MissingTrials == 1 ? "" : "s")} missing)";
        }
        else if (verdict.Claim is Claims.InitRobust or Claims.WidthRobust && verdict.Measured is { } measured)
        {
            word += $" (|diff| {Numbers.Fixed(measured, 2)} of margin)";
        }
        else if (verdict is { Measured: { } m, Threshold: { } t })
        {
            word += verdict.Claim == Claims.Accurate ? $" ({Numbers.Percent(m)} vs {Numbers.Percent(t)})" : $" ({Short(m)} vs {Short(t)})";
        }
        return verdict.Provisional ? word + ", provisional" : word;
    }

    private static string Short(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);

    private static string Range(StatisticSummary s) =>
        s.Count == 0 ? "-" : s.Min == s.Max ? Numbers.Compact(s.Min) : $"{Numbers.Compact(s.Min)}-{Numbers.Compact(s.Max)}";

    private static string Undecided(RobustnessGroup group) =>
        group.Undecided is { Overall.Count: > 0 } u && group.UndecidedTolerant is { } t
            ? $"{Numbers.Fixed(u.Overall.Mean, 1)} / {Numbers.Fixed(t.Overall.Mean, 1)}"
            : "-";
}
