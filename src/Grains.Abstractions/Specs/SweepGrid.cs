namespace Sweep.Grains.Abstractions.Specs;

/// <summary>A map from factors (option names) to the values each takes; the trials are its Cartesian product.</summary>
[GenerateSerializer, Immutable]
public sealed record SweepGrid
{
    [Id(0)] public required string Name { get; init; }
    /// <summary>In declaration order; the last factor varies fastest in the expansion.</summary>
    [Id(1)] public required IReadOnlyList<SweepFactor> Factors { get; init; }
}
