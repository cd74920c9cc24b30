namespace Sweep.Grains.Abstractions.Reports;

/// <summary>
/// The share of a quantity's variance explained by one factor (init or starting width) against the
/// seed-to-seed noise floor: a one-way decomposition within each slice of the other factor (partial
/// eta squared, SS factor / (SS factor + SS seeds)), its F-test, and a bootstrap interval.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record FactorEffect
{
    /// <summary>"fc1 final width" or "test error".</summary>
    [Id(0)] public required string Metric { get; init; }
    /// <summary>"init" or "width".</summary>
    [Id(1)] public required string Factor { get; init; }
    [Id(2)] public double Share { get; init; }
    [Id(3)] public double ShareLower { get; init; }
    [Id(4)] public double ShareUpper { get; init; }
    [Id(5)] public double FStatistic { get; init; }
    [Id(6)] public int DegreesOfFreedomFactor { get; init; }
    [Id(7)] public int DegreesOfFreedomNoise { get; init; }
    [Id(8)] public double PValue { get; init; }
    /// <summary>The pooled seed-to-seed standard deviation within cells (the noise floor).</summary>
    [Id(9)] public double NoiseStandardDeviation { get; init; }
    /// <summary>The trials the decomposition used.</summary>
    [Id(10)] public int Trials { get; init; }
}
