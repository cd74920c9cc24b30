using System.Globalization;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.Statistics;
using Sweep.Grains.Abstractions.Reports;
using Sweep.Grains.Abstractions.Trials;

namespace Sweep.Analysis;

/// <summary>
/// The four claims of docs/ALGORITHM.md judged for one group of trials, each holds, fails or inconclusive:
/// deterministic (strict undecided count, every trial), init-robust and width-robust (equivalence of
/// level means by TOST against margins, with collapses and divergences counted against them),
/// accurate (one-sided t against the threshold, reported with the pruning level). The p-values of
/// every layer and claim of the group form one Holm family.
/// </summary>
public static class ClaimJudge
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private sealed record FactorStudy(string Claim, string Factor, string Block, TrialResult[] Counted, List<LevelComparison> Comparisons, List<string> Missing, int MissingTrials, string? Untestable);

    public static ClaimVerdict[] Judge(IReadOnlyCollection<TrialResult> trials, VerdictCriteria criteria, double? maxTestError, string thresholdSource, bool provisional)
    {
        var completed = trials.Where(t => t.State == TrialState.Completed).ToArray();
        var counted = trials.Where(FailureCounts.Counts).ToArray();
        var layers = completed.FirstOrDefault()?.LayerNames ?? [];

        var init = Study(Claims.InitRobust, TrialFactors.Init, TrialFactors.Width, counted, layers, criteria);
        var width = Study(Claims.WidthRobust, TrialFactors.Width, TrialFactors.Init,
            counted.Where(t => TrialFactors.WidthOf(t) >= criteria.MinWidth).ToArray(), layers, criteria);

        // Accuracy: H1 mean < threshold (holds) and H1 mean > threshold (fails), one-sided t.
        var errors = completed.Select(t => t.TestError).ToArray();
        double? pBelow = null, pAbove = null;
        if (maxTestError is { } threshold && errors.Length >= 2)
        {
            (pBelow, pAbove) = OneSided(errors, threshold);
        }

        // One Holm family for "holds" (equivalence, below threshold) and one for "fails" (beyond margin, above threshold).
        var all = init.Comparisons.Concat(width.Comparisons).ToList();
        var equivalent = Holm.Adjust([.. all.Select(c => c.PEquivalent), .. pBelow is { } b ? [b] : Array.Empty<double>()]);
        var beyond = Holm.Adjust([.. all.Select(c => c.PBeyond), .. pAbove is { } a ? [a] : Array.Empty<double>()]);
        for (var i = 0; i < all.Count; i++)
        {
            all[i] = all[i] with { PEquivalentAdjusted = equivalent[i], PBeyondAdjusted = beyond[i] };
            all[i] = all[i] with { Outcome = Equivalence.Outcome(all[i], criteria.Alpha) };
        }
        init.Comparisons.Clear();
        init.Comparisons.AddRange(all.Where(c => c.Factor == TrialFactors.Init));
        width.Comparisons.Clear();
        width.Comparisons.AddRange(all.Where(c => c.Factor == TrialFactors.Width));

        return
        [
            Deterministic(completed, criteria, provisional),
            Robustness(init, criteria, provisional),
            Robustness(width, criteria, provisional),
            Accurate(completed, criteria, maxTestError, thresholdSource, pBelow is null ? null : equivalent[^1], pAbove is null ? null : beyond[^1], provisional),
        ];
    }

    private static (double Below, double Above) OneSided(double[] values, double threshold)
    {
        var mean = values.Mean();
        var se = values.StandardDeviation() / Math.Sqrt(values.Length);
        if (se == 0)
        {
            return (mean < threshold ? 0 : 1, mean > threshold ? 0 : 1);
        }
        var t = (mean - threshold) / se;
        var cdf = StudentT.CDF(0, 1, values.Length - 1, t);
        return (cdf, 1 - cdf);
    }

    private static FactorStudy Study(string claim, string factor, string block, TrialResult[] counted, IReadOnlyList<string> layers, VerdictCriteria criteria)
    {
        var comparisons = new List<LevelComparison>();
        var missing = new List<string>();
        var missingTrials = 0;
        var completed = counted.Where(t => t.State == TrialState.Completed).ToArray();
        var blocks = counted.GroupBy(t => TrialFactors.Level(t, block), StringComparer.Ordinal)
            .Select(g => (Level: g.Key, Levels: TrialFactors.OrderLevels(g.GroupBy(t => TrialFactors.Level(t, factor), StringComparer.Ordinal), l => l.Key).ToArray()))
            .Where(b => b.Levels.Length >= 2)
            .OrderBy(b => b.Level, StringComparer.Ordinal)
            .ToArray();
        if (blocks.Length == 0)
        {
            var why = factor == TrialFactors.Width
                ? $"needs trials at two or more starting widths >= {criteria.MinWidth.ToString(Invariant)} sharing an init (width-robust is judged over starts at or above min-width)"
                : $"needs trials at two or more inits sharing a starting width";
            return new FactorStudy(claim, factor, block, counted, comparisons, missing, 0, why);
        }
        // Margins from the claim's own trials: +- WidthMargin of each layer's mean final width.
        var margins = layers.Select((_, l) => criteria.WidthMargin * completed.Where(t => t.FinalWidths.Count > l).Select(t => (double)t.FinalWidths[l]).DefaultIfEmpty(0).Average()).ToArray();
        foreach (var (blockLevel, levels) in blocks)
        {
            var slice = $"{block}={blockLevel}";
            var done = levels.Select(l => (l.Key, Trials: l.Where(t => t.State == TrialState.Completed).ToArray())).ToArray();
            foreach (var (level, trials) in done.Where(d => d.Trials.Length < criteria.MinTrials))
            {
                missingTrials += criteria.MinTrials - trials.Length;
                missing.Add($"{factor}={level} at {slice}: {trials.Length} of {criteria.MinTrials}");
            }
            for (var i = 0; i < done.Length; i++)
            {
                for (var j = i + 1; j < done.Length; j++)
                {
                    var (a, b) = (done[i], done[j]);
                    if (a.Trials.Length < 2 || b.Trials.Length < 2)
                    {
                        continue;
                    }
                    for (var l = 0; l < layers.Count; l++)
                    {
                        var layer = l;
                        double[] Widths((string Key, TrialResult[] Trials) x) => x.Trials.Where(t => t.FinalWidths.Count > layer).Select(t => (double)t.FinalWidths[layer]).ToArray();
                        comparisons.Add(Equivalence.Compare($"{layers[l]} final width", factor, slice, a.Key, Widths(a), b.Key, Widths(b), margins[l], criteria.Confidence));
                    }
                    comparisons.Add(Equivalence.Compare("test error", factor, slice, a.Key, a.Trials.Select(t => t.TestError).ToArray(),
                        b.Key, b.Trials.Select(t => t.TestError).ToArray(), criteria.ErrorMargin, criteria.Confidence));
                }
            }
        }
        return new FactorStudy(claim, factor, block, counted, comparisons, missing, missingTrials, null);
    }

    private static ClaimVerdict Robustness(FactorStudy study, VerdictCriteria criteria, bool provisional)
    {
        var failures = FailureCounts.Rate(FailureCounts.Either, study.Counted.Count(FailureCounts.IsMethodFailure), study.Counted.Length, criteria.Confidence);
        var test = $"TOST on Welch t ({Format.Percent((1 - 2 * criteria.Alpha), 0)} intervals), Holm-adjusted across layers and claims";
        var margins = $"margins: final width +-{Format.Percent(criteria.WidthMargin, 0)} of the layer's mean, test error +-{Points(criteria.ErrorMargin)}";
        var failureText = failures.Count == 0 ? "" :
            $"{failures.Count} of {failures.Trials} trials collapsed or diverged (rate {Format.Percent(failures.Rate, 1)}, {Format.Percent(criteria.Confidence, 0)} Wilson [{Format.Percent(failures.Lower, 1)}, {Format.Percent(failures.Upper, 1)}]). ";
        ClaimVerdict Verdict(Verdict verdict, string detail, int missing = 0, double? measured = null, double? p = null) => new()
        {
            Claim = study.Claim,
            Verdict = verdict,
            Detail = detail,
            Test = test,
            Provisional = provisional,
            MissingTrials = missing,
            Comparisons = study.Comparisons.ToArray(),
            MethodFailures = failures,
            Measured = measured,
            Threshold = measured is null ? null : 1,
            PValue = p,
        };

        if (failures.Count > 0 && failures.Lower > criteria.MaxFailureRate)
        {
            return Verdict(Grains.Abstractions.Reports.Verdict.Fails,
                failureText + $"The rate is above the {Format.Percent(criteria.MaxFailureRate, 0)} a robust method may show (max-failure-rate), so the claim fails whatever the widths of the other trials.");
        }
        if (study.Untestable is { } why)
        {
            return Verdict(Grains.Abstractions.Reports.Verdict.Inconclusive, failureText + why + ".");
        }
        if (study.MissingTrials > 0)
        {
            return Verdict(Grains.Abstractions.Reports.Verdict.Inconclusive,
                failureText + $"needs {study.MissingTrials} more completed trial(s) for {criteria.MinTrials} per level: {string.Join("; ", study.Missing)}.", study.MissingTrials);
        }
        var comparisons = study.Comparisons;
        var measured = comparisons.Count == 0 ? (double?)null : comparisons.Max(c => c.Margin == 0 ? double.PositiveInfinity : Math.Abs(c.Difference) / c.Margin);
        var failing = comparisons.Where(c => c.Outcome == Grains.Abstractions.Reports.Verdict.Fails).OrderBy(c => c.PBeyondAdjusted).FirstOrDefault();
        if (failing is not null)
        {
            return Verdict(Grains.Abstractions.Reports.Verdict.Fails,
                failureText + $"{Describe(failing)} lies beyond the margin (adjusted {ControlComparisons.PText(failing.PBeyondAdjusted)}). {margins}.", measured: measured, p: failing.PBeyondAdjusted);
        }
        var open = comparisons.Where(c => c.Outcome != Grains.Abstractions.Reports.Verdict.Holds).OrderByDescending(c => c.PEquivalentAdjusted).FirstOrDefault();
        if (open is not null)
        {
            return Verdict(Grains.Abstractions.Reports.Verdict.Inconclusive,
                failureText + $"{comparisons.Count - comparisons.Count(c => c.Outcome != Grains.Abstractions.Reports.Verdict.Holds)} of {comparisons.Count} comparisons shown equivalent; {Describe(open)} straddles the margin (adjusted TOST {ControlComparisons.PText(open.PEquivalentAdjusted)}). {margins}.",
                measured: measured, p: open.PEquivalentAdjusted);
        }
        if (failures.Count > 0)
        {
            return Verdict(Grains.Abstractions.Reports.Verdict.Inconclusive,
                failureText + $"The {comparisons.Count} comparisons of the completed trials are equivalent, but a robust method does not collapse or diverge.", measured: measured);
        }
        var worst = comparisons.MaxBy(c => c.PEquivalentAdjusted)!;
        return Verdict(Grains.Abstractions.Reports.Verdict.Holds,
            $"all {comparisons.Count} comparisons of {study.Factor} levels within each {study.Block} are equivalent (largest adjusted TOST {ControlComparisons.PText(worst.PEquivalentAdjusted)}; the largest difference is {measured?.ToString("0.00", Invariant)} of its margin). {margins}.",
            measured: measured, p: worst.PEquivalentAdjusted);
    }

    private static string Describe(LevelComparison c)
    {
        var error = c.Metric == "test error";
        string D(double v) => error ? Points(v) : v.ToString("+0.0;-0.0;0", Invariant);
        return $"{c.Metric} between {c.Factor}={c.LevelA} and {c.Factor}={c.LevelB} at {c.Slice}: difference {D(c.Difference)} [{D(c.Lower)}, {D(c.Upper)}] against +-{(error ? Points(c.Margin) : c.Margin.ToString("0.0", Invariant))}";
    }

    private static string Points(double fraction) => (fraction * 100).ToString("0.00", Invariant) + " points";

    private static ClaimVerdict Deterministic(TrialResult[] completed, VerdictCriteria criteria, bool provisional)
    {
        var strict = SampleStatistics.Summarize(completed.Select(t => (double)t.Undecided).ToArray(), criteria.Confidence);
        var tolerant = SampleStatistics.Summarize(completed.Select(t => (double)t.UndecidedTolerant).ToArray(), criteria.Confidence);
        var tolerance = completed.Select(t => t.UndecidedTolerance).DefaultIfEmpty(0).Max();
        var undecided = completed.Count(t => t.Undecided > criteria.MaxUndecided);
        var (lower, upper) = SampleStatistics.Wilson(completed.Length - undecided, completed.Length, criteria.Confidence);
        var counts = $"strict undecided (0 < theta < 1) {Interval(strict)}; tolerant (tolerance {tolerance.ToString("0.###", Invariant)}) {Interval(tolerant)}; " +
                     $"{completed.Length - undecided} of {completed.Length} trials end with at most {criteria.MaxUndecided} strict undecided gate(s) ({Format.Percent(criteria.Confidence, 0)} Wilson [{Format.Percent(lower, 0)}, {Format.Percent(upper, 0)}])";
        var verdict = new ClaimVerdict
        {
            Claim = Claims.Deterministic,
            Verdict = Verdict.Inconclusive,
            Detail = "",
            Test = "every completed trial (one counterexample refutes)",
            Provisional = provisional,
            Measured = completed.Length == 0 ? null : completed.Max(t => t.Undecided),
            Threshold = criteria.MaxUndecided,
        };
        if (undecided > 0)
        {
            return verdict with { Verdict = Verdict.Fails, Detail = $"{undecided} trial(s) end with more than {criteria.MaxUndecided} strict undecided gate(s). {counts}." };
        }
        if (completed.Length < criteria.MinTrials)
        {
            return verdict with { MissingTrials = criteria.MinTrials - completed.Length, Detail = $"needs {criteria.MinTrials - completed.Length} more completed trial(s) ({completed.Length} of {criteria.MinTrials}). {counts}." };
        }
        return verdict with { Verdict = Verdict.Holds, Detail = counts + "." };
    }

    private static ClaimVerdict Accurate(TrialResult[] completed, VerdictCriteria criteria, double? maxTestError, string thresholdSource, double? pBelow, double? pAbove, bool provisional)
    {
        var error = SampleStatistics.Summarize(completed.Select(t => t.TestError).ToArray(), criteria.Confidence);
        var weights = SampleStatistics.Summarize(completed.Select(t => t.ParametersFraction).ToArray(), criteria.Confidence);
        var flops = SampleStatistics.Summarize(completed.Select(t => t.FlopsFraction).ToArray(), criteria.Confidence);
        var measured = $"mean test error {PercentInterval(error)} at {PercentInterval(weights)} of the weights and {PercentInterval(flops)} of the FLOPs kept";
        var validation = completed.Where(t => t.ValidationError is not null).Select(t => t.ValidationError!.Value).ToArray();
        if (validation.Length > 0)
        {
            measured += $" (validation error {PercentInterval(SampleStatistics.Summarize(validation, criteria.Confidence))}, the error settings are chosen on)";
        }
        var verdict = new ClaimVerdict
        {
            Claim = Claims.Accurate,
            Verdict = Verdict.Inconclusive,
            Detail = "",
            Test = "one-sided t against the threshold, Holm-adjusted with the robustness claims",
            Provisional = provisional,
            Measured = completed.Length == 0 ? null : error.Mean,
            Threshold = maxTestError,
        };
        if (maxTestError is not { } threshold)
        {
            return verdict with { Test = "reported, not judged", Detail = $"{measured}; not judged: {thresholdSource}." };
        }
        var against = $"threshold {Format.Percent(threshold, 2)} ({thresholdSource})";
        if (completed.Length < criteria.MinTrials)
        {
            return verdict with { MissingTrials = criteria.MinTrials - completed.Length, Detail = $"needs {criteria.MinTrials - completed.Length} more completed trial(s) ({completed.Length} of {criteria.MinTrials}); {measured}; {against}." };
        }
        if (pAbove < criteria.Alpha)
        {
            return verdict with { Verdict = Verdict.Fails, PValue = pAbove, Detail = $"{measured}: above the {against}, adjusted {ControlComparisons.PText(pAbove!.Value)}." };
        }
        if (pBelow < criteria.Alpha)
        {
            return verdict with { Verdict = Verdict.Holds, PValue = pBelow, Detail = $"{measured}: below the {against}, adjusted {ControlComparisons.PText(pBelow!.Value)}." };
        }
        return verdict with { PValue = pBelow, Detail = $"{measured}: the interval does not separate the mean from the {against} (adjusted {ControlComparisons.PText(pBelow ?? 1)})." };
    }

    internal static string Interval(StatisticSummary s) =>
        s.Count == 0 ? "-" : s.Lower is { } lo && s.Upper is { } hi
            ? $"{s.Mean.ToString("0.#", Invariant)} [{lo.ToString("0.#", Invariant)}, {hi.ToString("0.#", Invariant)}], n = {s.Count}"
            : $"{s.Mean.ToString("0.#", Invariant)} (one trial)";

    internal static string PercentInterval(StatisticSummary s) =>
        s.Count == 0 ? "-" : s.Lower is { } lo && s.Upper is { } hi
            ? $"{Format.Percent(s.Mean, 2)} [{Format.Percent(lo, 2)}, {Format.Percent(hi, 2)}], n = {s.Count}"
            : $"{Format.Percent(s.Mean, 2)} (one trial)";
}
