namespace Sweep.Grains.Abstractions.Reports;

/// <summary>The summary of a quantity over the trials sharing one level of a factor (e.g. seed = 3).</summary>
[GenerateSerializer, Immutable]
public sealed record LevelSummary
{
    [Id(0)] public required string Level { get; init; }
    [Id(1)] public required StatisticSummary Summary { get; init; }
}
