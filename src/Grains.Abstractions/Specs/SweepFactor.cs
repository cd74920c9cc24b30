namespace Sweep.Grains.Abstractions.Specs;

/// <summary>One factor of a grid: an option name and the values it takes.</summary>
[GenerateSerializer, Immutable]
public sealed record SweepFactor
{
    [Id(0)] public required string Name { get; init; }
    [Id(1)] public required IReadOnlyList<string> Values { get; init; }
}
