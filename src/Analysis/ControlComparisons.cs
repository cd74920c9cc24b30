using System.Globalization;
using Sweep.Grains.Abstractions.Reports;
using Sweep.Grains.Abstractions.Specs;
using Sweep.Grains.Abstractions.Trials;
using Schema = Sweep.Options.TrialOptionSchema;

namespace Sweep.Analysis;

/// <summary>
/// The method (the flattening hyper-prior) against each fixed-prior control that shares its
/// configuration: completed trials paired by seed, init and width; per quantity the paired
/// differences with a t interval, a sign-flip permutation test, and a sentence. The strict undecided
/// count (the claim) is the primary quantity; the others are Holm-adjusted among themselves.
/// </summary>
public static class ControlComparisons
{
    private sealed record Quantity(string Metric, string Noun, Func<TrialResult, double?> Value, bool Percent);

    public static ControlComparison[] Compare(IReadOnlyList<(RobustnessGroup Group, TrialResult[] Trials)> groups, VerdictCriteria criteria)
    {
        var comparisons = new List<ControlComparison>();
        foreach (var method in groups.Where(g => g.Group.Prior == Schema.Prior.DefaultText))
        {
            var key = TrialFactors.ConfigurationKey(method.Trials[0].Settings, withPrior: false);
            foreach (var control in groups.Where(g => g.Group.Prior != Schema.Prior.DefaultText
                         && TrialFactors.ConfigurationKey(g.Trials[0].Settings, withPrior: false) == key))
            {
                comparisons.Add(Compare(method, control, criteria));
            }
        }
        return comparisons.ToArray();
    }

    private static ControlComparison Compare((RobustnessGroup Group, TrialResult[] Trials) method, (RobustnessGroup Group, TrialResult[] Trials) control, VerdictCriteria criteria)
    {
        var methodCells = Completed(method.Trials);
        var controlCells = Completed(control.Trials);
        var pairs = methodCells.Keys.Where(controlCells.ContainsKey).Order(StringComparer.Ordinal)
            .Select(k => (Method: methodCells[k], Control: controlCells[k])).ToArray();

        var layers = pairs.Length == 0 ? [] : pairs[0].Method.LayerNames;
        var quantities = new List<Quantity>
        {
            new("strict undecided gates", "undecided gates (strictly between 0 and 1)", t => t.Undecided, false),
            new("tolerant undecided gates", "undecided gates (beyond the tolerance)", t => t.UndecidedTolerant, false),
        };
        for (var l = 0; l < layers.Count; l++)
        {
            var layer = l;
            quantities.Add(new($"{layers[l]} final width", $"{layers[l]} units", t => t.FinalWidths.Count > layer ? t.FinalWidths[layer] : null, false));
        }
        quantities.Add(new("test error", "test error", t => t.TestError, true));

        var raw = quantities.Select(q =>
        {
            var usable = pairs.Where(p => q.Value(p.Method) is not null && q.Value(p.Control) is not null).ToArray();
            var m = usable.Select(p => q.Value(p.Method)!.Value).ToArray();
            var c = usable.Select(p => q.Value(p.Control)!.Value).ToArray();
            var d = m.Zip(c, (x, y) => x - y).ToArray();
            return (q, m, c, d, p: SignFlipTest.PValue(d));
        }).ToArray();
        // The claim under test is the strict undecided count: the primary quantity, unadjusted. The other
        // quantities are secondary and Holm-adjusted among themselves, so that they cannot dilute it.
        var adjusted = new[] { raw[0].p }.Concat(Holm.Adjust(raw.Skip(1).Select(r => r.p).ToArray())).ToArray();
        var differences = raw.Select((r, i) =>
        {
            var detected = adjusted[i] < criteria.Alpha;
            var difference = SampleStatistics.Summarize(r.d, criteria.Confidence);
            var methodSummary = SampleStatistics.Summarize(r.m, criteria.Confidence);
            var controlSummary = SampleStatistics.Summarize(r.c, criteria.Confidence);
            return new PairedDifference
            {
                Metric = r.q.Metric,
                Method = methodSummary,
                Control = controlSummary,
                Difference = difference,
                PValue = r.p,
                PValueAdjusted = adjusted[i],
                Detected = detected,
                Sentence = Sentence(r.q, methodSummary, controlSummary, difference, adjusted[i], detected, control.Group.Prior, criteria.Alpha, i == 0 ? 1 : raw.Length - 1),
            };
        }).ToArray();
        return new ControlComparison
        {
            MethodGroup = method.Group.Label,
            ControlGroup = control.Group.Label,
            MethodPrior = method.Group.Prior,
            ControlPrior = control.Group.Prior,
            Pairs = pairs.Length,
            UnpairedMethodTrials = methodCells.Count - pairs.Length,
            UnpairedControlTrials = controlCells.Count - pairs.Length,
            Test = $"paired differences (method - control) with {Format.Percent(criteria.Confidence, 0)} t intervals; {SignFlipTest.Name(pairs.Length)}, the strict undecided count primary (unadjusted), the other {quantities.Count - 1} quantities Holm-adjusted among themselves",
            Differences = differences,
        };
    }

    private static Dictionary<string, TrialResult> Completed(TrialResult[] trials) =>
        trials.Where(t => t.State == TrialState.Completed).GroupBy(TrialFactors.Cell, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

    private static string Sentence(Quantity q, StatisticSummary method, StatisticSummary control, StatisticSummary difference, double p, bool detected, string controlPrior, double alpha, int family)
    {
        var invariant = CultureInfo.InvariantCulture;
        string V(double v) => q.Percent ? (v * 100).ToString("0.00", invariant) + "%" : v.ToString("0.#", invariant);
        string Dv(double v) => q.Percent ? (v * 100).ToString("+0.00;-0.00;0.00", invariant) : v.ToString("+0.#;-0.#;0", invariant);
        var unit = q.Percent ? " points" : "";
        var interval = difference.Lower is { } lo && difference.Upper is { } hi ? $" [{Dv(lo)}, {Dv(hi)}]" : "";
        var numbers = $"{V(method.Mean)} vs {V(control.Mean)}, difference {Dv(difference.Mean)}{interval}{unit}, {PText(p)}";
        if (difference.Count == 0)
        {
            return $"{q.Metric}: no matched pair to compare.";
        }
        if (!detected)
        {
            // With few pairs the exact test cannot reach small p-values at all: say so, rather than let "none detected" read as "none".
            var floor = difference.Count <= 16 ? Math.Pow(2, 1 - difference.Count) : 0;
            var resolution = floor * family >= alpha ? $"; with {difference.Count} pairs the smallest p-value this test can give is {P(floor)}, {P(Math.Min(1, floor * family))}{(family > 1 ? " after Holm" : "")}" : "";
            return $"{q.Metric}: no difference detected with {difference.Count} pairs ({numbers}{resolution}).";
        }
        var direction = difference.Mean < 0 ? "fewer" : "more";
        if (q.Percent)
        {
            direction = difference.Mean < 0 ? "lower" : "higher";
        }
        return q.Metric.Contains("undecided", StringComparison.Ordinal)
            ? $"{q.Metric}: the hyper-prior leaves {direction} {q.Noun} than the fixed prior ({controlPrior}): {numbers}, {difference.Count} pairs."
            : $"{q.Metric}: the hyper-prior ends with {direction} {q.Noun} than the fixed prior ({controlPrior}): {numbers}, {difference.Count} pairs.";
    }

    internal static string PText(double p) => p < 0.001 ? "p < 0.001" : $"p = {P(p)}";

    internal static string P(double p) => p < 0.001 ? "< 0.001" : p.ToString("0.###", CultureInfo.InvariantCulture);
}
