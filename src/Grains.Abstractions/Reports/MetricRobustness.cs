namespace Sweep.Grains.Abstractions.Reports;

/// <summary>One quantity (a layer's final width, parameters, FLOPs, test error, ...) over all trials and grouped by each robustness factor.</summary>
[GenerateSerializer, Immutable]
public sealed record MetricRobustness
{
    [Id(0)] public required StatisticSummary Overall { get; init; }
    [Id(1)] public IReadOnlyList<LevelSummary> BySeed { get; init; } = Array.Empty<LevelSummary>();
    [Id(2)] public IReadOnlyList<LevelSummary> ByInit { get; init; } = Array.Empty<LevelSummary>();
    [Id(3)] public IReadOnlyList<LevelSummary> ByWidth { get; init; } = Array.Empty<LevelSummary>();
}
