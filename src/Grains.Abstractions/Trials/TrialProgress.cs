namespace Sweep.Grains.Abstractions.Trials;

/// <summary>The live state of one trial: what `sweep status` shows per trial.</summary>
[GenerateSerializer, Immutable]
public sealed record TrialProgress
{
    [Id(0)] public required TrialKey Key { get; init; }
    [Id(1)] public TrialState State { get; init; }
    /// <summary>Total epochs the trial trains for.</summary>
    [Id(2)] public int Epochs { get; init; }
    /// <summary>Latest measurement (epoch end or every N steps); null before the first.</summary>
    [Id(3)] public TrialEpoch? Latest { get; init; }
    /// <summary>Test error at the last completed epoch; null before the first epoch ends.</summary>
    [Id(4)] public double? LastTestError { get; init; }
    /// <summary>The silo running the trial (Orleans silo address), null while not placed.</summary>
    [Id(5)] public string? Silo { get; init; }
    /// <summary>Epochs from which the trial was resumed after a silo loss, restart or transient failure.</summary>
    [Id(6)] public IReadOnlyList<int> ResumedFromEpochs { get; init; } = Array.Empty<int>();
    [Id(7)] public DateTime UpdatedAt { get; init; }
    /// <summary>Short machine-readable reason when the trial failed ("diverged", "bad-data", ...).</summary>
    [Id(8)] public string? FailureReason { get; init; }
    /// <summary>Epoch of the last persisted checkpoint (0: none): where the trial resumes if its silo dies.</summary>
    [Id(9)] public int CheckpointEpoch { get; init; }
    /// <summary>Runs started so far: 1 for a trial that never had to start again.</summary>
    [Id(10)] public int Attempts { get; init; }

    /// <summary>Completed epochs (0 before the first epoch ends).</summary>
    public int EpochsDone => Latest?.Epoch ?? 0;
}
