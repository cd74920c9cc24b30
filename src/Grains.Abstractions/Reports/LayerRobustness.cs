namespace Sweep.Grains.Abstractions.Reports;

/// <summary>Robustness of one gated layer's final width.</summary>
[GenerateSerializer, Immutable]
public sealed record LayerRobustness
{
    [Id(0)] public required string Layer { get; init; }
    [Id(1)] public required MetricRobustness FinalWidth { get; init; }
    [Id(2)] public required MetricRobustness InitialWidth { get; init; }
    /// <summary>
    /// Spread of the final width across starting widths: (largest - smallest mean final width per
    /// starting width) / mean of those means. 0 when the sweep has a single starting width.
    /// The claim "a network started 4x wider ends about as small" says this is small.
    /// </summary>
    [Id(3)] public double SpreadAcrossWidths { get; init; }
    /// <summary>The same spread across initializations, within each starting width (the largest).</summary>
    [Id(4)] public double SpreadAcrossInits { get; init; }
}
