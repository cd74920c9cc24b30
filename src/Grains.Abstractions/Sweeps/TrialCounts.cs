namespace Sweep.Grains.Abstractions.Sweeps;

/// <summary>How many trials of a sweep are in each state.</summary>
[GenerateSerializer, Immutable]
public sealed record TrialCounts
{
    [Id(0)] public int Pending { get; init; }
    [Id(1)] public int Queued { get; init; }
    [Id(2)] public int Running { get; init; }
    [Id(3)] public int Completed { get; init; }
    [Id(4)] public int Failed { get; init; }
    [Id(5)] public int Cancelled { get; init; }

    public int Total => Pending + Queued + Running + Completed + Failed + Cancelled;

    public int Finished => Completed + Failed + Cancelled;
}
