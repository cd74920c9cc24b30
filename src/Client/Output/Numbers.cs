using System.Globalization;
using Sweep.Grains.Abstractions.Reports;

namespace Sweep.Client.Output;

/// <summary>How numbers are shown in tables and in the HTML report (one place, so both agree).</summary>
public static class Numbers
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>A fraction as a percentage with two decimals: 0.0190 → "1.90%".</summary>
    public static string Percent(double fraction) => double.IsNaN(fraction) ? "n/a" : (fraction * 100).ToString("0.00", Invariant) + "%";

    public static string Fixed(double value, int decimals) =>
        double.IsNaN(value) ? "n/a" : value.ToString("F" + decimals.ToString(Invariant), Invariant);

    /// <summary>"44.5 ± 3.1" (the sample standard deviation).</summary>
    public static string MeanSd(StatisticSummary s, int decimals = 1) => $"{Fixed(s.Mean, decimals)} ± {Fixed(s.StandardDeviation, decimals)}";

    /// <summary>"1.90% ± 0.12%".</summary>
    public static string PercentMeanSd(StatisticSummary s) => $"{Percent(s.Mean)} ± {Percent(s.StandardDeviation)}";

    /// <summary>Coefficient of variation with three decimals.</summary>
    public static string Cv(StatisticSummary s) => Fixed(s.CoefficientOfVariation, 3);

    /// <summary>Large counts compactly: 266200 → "266.2k", 1.2e9 → "1.20G".</summary>
    public static string Compact(double value) =>
        double.IsNaN(value) ? "n/a"
        : Math.Abs(value) >= 1e9 ? (value / 1e9).ToString("0.00", Invariant) + "G"
        : Math.Abs(value) >= 1e6 ? (value / 1e6).ToString("0.00", Invariant) + "M"
        : Math.Abs(value) >= 1e4 ? (value / 1e3).ToString("0.0", Invariant) + "k"
        : value.ToString("0.#", Invariant);

    public static string CompactMeanSd(StatisticSummary s) => $"{Compact(s.Mean)} ± {Compact(s.StandardDeviation)}";

    public static string Duration(TimeSpan span) =>
        span.TotalHours >= 1 ? $"{(int)span.TotalHours}h{span.Minutes:00}m"
        : span.TotalMinutes >= 1 ? $"{span.Minutes}m{span.Seconds:00}s"
        : $"{span.TotalSeconds:0}s";

    public static string Widths(IReadOnlyList<int> widths) => widths.Count == 0 ? "" : string.Join('-', widths);

    /// <summary>"52.0 [49.5, 54.5], n = 3"; "52.0 (one trial)"; "-" without trials.</summary>
    public static string MeanInterval(StatisticSummary s, int decimals = 1) => Interval(s, v => Fixed(v, decimals));

    /// <summary>"1.90% [1.71%, 2.09%], n = 3".</summary>
    public static string PercentInterval(StatisticSummary s) => Interval(s, Percent);

    /// <summary>Large counts: "266.2k [250.1k, 282.3k], n = 3".</summary>
    public static string CompactInterval(StatisticSummary s) => Interval(s, Compact);

    private static string Interval(StatisticSummary s, Func<double, string> format) =>
        s.Count == 0 ? "-"
        : s.Lower is { } lower && s.Upper is { } upper ? $"{format(s.Mean)} [{format(lower)}, {format(upper)}], n = {s.Count}"
        : $"{format(s.Mean)} (one trial)";

    /// <summary>A p-value: "< 0.001" or three decimals.</summary>
    public static string P(double p) => p < 0.001 ? "< 0.001" : p.ToString("0.###", Invariant);

    public static string VerdictWord(Verdict verdict) => verdict switch
    {
        Verdict.Holds => "holds",
        Verdict.Fails => "FAILS",
        _ => "inconclusive",
    };
}
