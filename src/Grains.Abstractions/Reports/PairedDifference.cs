namespace Sweep.Grains.Abstractions.Reports;

/// <summary>
/// One quantity compared between the method and its control over matched trials (same architecture,
/// init, starting width and seed, only the prior differs): the paired differences (method - control)
/// with their t interval, and an exact or Monte Carlo sign-flip permutation test.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record PairedDifference
{
    /// <summary>"strict undecided gates", "tolerant undecided gates", "fc1 final width", "test error".</summary>
    [Id(0)] public required string Metric { get; init; }
    [Id(1)] public required StatisticSummary Method { get; init; }
    [Id(2)] public required StatisticSummary Control { get; init; }
    /// <summary>Method minus control, per pair, with its interval.</summary>
    [Id(3)] public required StatisticSummary Difference { get; init; }
    [Id(4)] public double PValue { get; init; }
    /// <summary>The strict undecided count (primary) unadjusted; the other quantities Holm-adjusted among themselves.</summary>
    [Id(5)] public double PValueAdjusted { get; init; }
    /// <summary>A difference was detected (adjusted p below alpha).</summary>
    [Id(6)] public bool Detected { get; init; }
    /// <summary>The outcome in words.</summary>
    [Id(7)] public required string Sentence { get; init; }
}
