namespace Sweep.Grains.Abstractions.Reports;

/// <summary>
/// Summary of one quantity over a set of trials. StandardDeviation is the sample standard deviation
/// (n - 1), 0 for a single trial; CoefficientOfVariation is StandardDeviation / |Mean|, 0 when the mean is 0.
/// Lower and Upper bound the t-based confidence interval of the mean (the report's confidence, 95% by
/// default, the seed as the replicate); null for fewer than two values.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record StatisticSummary
{
    [Id(0)] public int Count { get; init; }
    [Id(1)] public double Mean { get; init; }
    [Id(2)] public double StandardDeviation { get; init; }
    [Id(3)] public double CoefficientOfVariation { get; init; }
    [Id(4)] public double Min { get; init; }
    [Id(5)] public double Max { get; init; }
    [Id(6)] public double? Lower { get; init; }
    [Id(7)] public double? Upper { get; init; }
}
