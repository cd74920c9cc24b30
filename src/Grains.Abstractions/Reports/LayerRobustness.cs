namespace Sweep.Grains.Abstractions.Reports;

/// <summary>One gated layer's starting and final widths over a group's completed trials, overall and per factor level.</summary>
[GenerateSerializer, Immutable]
public sealed record LayerRobustness
{
    [Id(0)] public required string Layer { get; init; }
    [Id(1)] public required MetricRobustness FinalWidth { get; init; }
    [Id(2)] public required MetricRobustness InitialWidth { get; init; }
}
