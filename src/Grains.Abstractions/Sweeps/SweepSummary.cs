namespace Sweep.Grains.Abstractions.Sweeps;

/// <summary>One line of `sweep list`.</summary>
[GenerateSerializer, Immutable]
public sealed record SweepSummary
{
    [Id(0)] public required string SweepId { get; init; }
    [Id(1)] public required string Name { get; init; }
    [Id(2)] public SweepState State { get; init; }
    [Id(3)] public DateTime LaunchedAt { get; init; }
    [Id(4)] public DateTime? FinishedAt { get; init; }
    [Id(5)] public int Trials { get; init; }
    [Id(6)] public int Completed { get; init; }
    [Id(7)] public int Failed { get; init; }
}
