namespace Sweep.Grains.Abstractions.Reports;

/// <summary>
/// One equivalence comparison of a robustness claim: the mean of a quantity (a layer's final width,
/// the test error) at two levels of a factor, within one slice of the other factor, against a margin.
/// Interval: the (1 - 2 alpha) Welch interval of the difference (90% for alpha = 0.05), the interval
/// TOST inverts; the outcome uses Holm-adjusted p-values across the group's layers and claims.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record LevelComparison
{
    /// <summary>"fc1 final width" or "test error".</summary>
    [Id(0)] public required string Metric { get; init; }
    /// <summary>The factor compared: "init" or "width".</summary>
    [Id(1)] public required string Factor { get; init; }
    /// <summary>The level of the other factor held fixed ("width=1"), empty when there is none.</summary>
    [Id(2)] public string Slice { get; init; } = "";
    [Id(3)] public required string LevelA { get; init; }
    [Id(4)] public required string LevelB { get; init; }
    [Id(5)] public required StatisticSummary A { get; init; }
    [Id(6)] public required StatisticSummary B { get; init; }
    /// <summary>Mean of B minus mean of A.</summary>
    [Id(7)] public double Difference { get; init; }
    [Id(8)] public double Lower { get; init; }
    [Id(9)] public double Upper { get; init; }
    /// <summary>Equivalence margin: the difference must lie within +- Margin.</summary>
    [Id(10)] public double Margin { get; init; }
    /// <summary>TOST p-value (the larger of the two one-sided p-values), before and after Holm.</summary>
    [Id(11)] public double PEquivalent { get; init; }
    [Id(12)] public double PEquivalentAdjusted { get; init; }
    /// <summary>p-value of "the difference lies beyond the margin", before and after Holm.</summary>
    [Id(13)] public double PBeyond { get; init; }
    [Id(14)] public double PBeyondAdjusted { get; init; }
    [Id(15)] public Verdict Outcome { get; init; }
}
