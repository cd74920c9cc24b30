namespace Sweep.Grains.Abstractions.Reports;

/// <summary>The aggregate of a sweep: robustness statistics and verdicts per group (architecture and prior).</summary>
[GenerateSerializer, Immutable]
public sealed record SweepReport
{
    [Id(0)] public required string SweepId { get; init; }
    [Id(1)] public string Name { get; init; } = "";
    [Id(2)] public DateTime GeneratedAt { get; init; }
    [Id(3)] public int TotalTrials { get; init; }
    [Id(4)] public int CompletedTrials { get; init; }
    [Id(5)] public int FailedTrials { get; init; }
    [Id(6)] public required RobustnessThresholds Thresholds { get; init; }
    [Id(7)] public IReadOnlyList<RobustnessGroup> Groups { get; init; } = Array.Empty<RobustnessGroup>();
}
