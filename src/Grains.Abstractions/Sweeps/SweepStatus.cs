namespace Sweep.Grains.Abstractions.Sweeps;

/// <summary>What `sweep status` shows: counts by state, every trial's progress, and an ETA.</summary>
[GenerateSerializer, Immutable]
public sealed record SweepStatus
{
    [Id(0)] public required string SweepId { get; init; }
    [Id(1)] public string Name { get; init; } = "";
    [Id(2)] public SweepState State { get; init; }
    [Id(3)] public DateTime? LaunchedAt { get; init; }
    [Id(4)] public DateTime? FinishedAt { get; init; }
    [Id(5)] public TrialCounts Counts { get; init; } = new();
    [Id(6)] public IReadOnlyList<TrialStatus> Trials { get; init; } = Array.Empty<TrialStatus>();
    /// <summary>Epochs done over all trials (finished trials count all their epochs).</summary>
    [Id(7)] public long EpochsDone { get; init; }
    [Id(8)] public long EpochsTotal { get; init; }
    /// <summary>Estimated time to finish, from the epoch throughput since launch; null until measurable.</summary>
    [Id(9)] public TimeSpan? Eta { get; init; }
    /// <summary>Trial slots of the live silos (what the coordinator can run at once).</summary>
    [Id(10)] public int ClusterSlots { get; init; }
}
