namespace Sweep.Grains.Abstractions.Trials;

/// <summary>
/// The outcome of one trial: for a completed trial every field of the trainer's result
/// (docs/ALGORITHM.md, "What a trial reports"); for a failed or cancelled one the state and the reason,
/// metrics left at their defaults.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record TrialResult
{
    [Id(0)] public required int Index { get; init; }
    [Id(1)] public required string Grid { get; init; }
    [Id(2)] public required IReadOnlyDictionary<string, string> Settings { get; init; }
    /// <summary>Completed, Failed or Cancelled.</summary>
    [Id(3)] public required TrialState State { get; init; }
    /// <summary>Short machine-readable reason ("diverged", "bad-data", "invalid-options", "error", "cancelled").</summary>
    [Id(4)] public string? FailureReason { get; init; }
    [Id(5)] public string? FailureMessage { get; init; }

    /// <summary>One name per gated layer.</summary>
    [Id(6)] public IReadOnlyList<string> LayerNames { get; init; } = Array.Empty<string>();
    [Id(7)] public IReadOnlyList<int> InitialWidths { get; init; } = Array.Empty<int>();
    [Id(8)] public IReadOnlyList<int> FinalWidths { get; init; } = Array.Empty<int>();
    /// <summary>Parameters of the compacted network.</summary>
    [Id(9)] public long Parameters { get; init; }
    /// <summary>Fraction of the starting network's parameters.</summary>
    [Id(10)] public double ParametersFraction { get; init; }
    /// <summary>Forward multiply-adds per example of the compacted network.</summary>
    [Id(11)] public long Flops { get; init; }
    [Id(12)] public double FlopsFraction { get; init; }
    /// <summary>Test error of the deterministic network (theta >= 0.5).</summary>
    [Id(13)] public double TestError { get; init; }
    /// <summary>Test error with outputs scaled by theta.</summary>
    [Id(14)] public double TestErrorMeanNet { get; init; }
    /// <summary>Gates strictly between 0 and 1 at the end.</summary>
    [Id(15)] public int Undecided { get; init; }
    /// <summary>Gates with tolerance &lt; theta &lt; 1 - tolerance at the end.</summary>
    [Id(16)] public int UndecidedTolerant { get; init; }
    [Id(17)] public double UndecidedTolerance { get; init; }
    /// <summary>Total training multiply-adds spent.</summary>
    [Id(18)] public double TrainFlops { get; init; }
    /// <summary>Against dense training for the same epochs.</summary>
    [Id(19)] public double TrainFlopsFraction { get; init; }
    /// <summary>Training wall seconds as the trainer measured them (the last run, after any resume).</summary>
    [Id(20)] public double WallSeconds { get; init; }
    /// <summary>Per epoch, the width of every gated layer.</summary>
    [Id(21)] public IReadOnlyList<IReadOnlyList<int>> EpochWidths { get; init; } = Array.Empty<IReadOnlyList<int>>();
    /// <summary>Per gated layer, the first epoch at which it had its final width.</summary>
    [Id(22)] public IReadOnlyList<int> EpochFinalWidthReached { get; init; } = Array.Empty<int>();
    [Id(23)] public IReadOnlyList<TrialEpoch> Epochs { get; init; } = Array.Empty<TrialEpoch>();

    /// <summary>Runs started for this trial: 1 plus every resume and transient retry.</summary>
    [Id(24)] public int Attempts { get; init; }
    /// <summary>Per restart, the epoch of the checkpoint it resumed from, 0 for a restart from the start (empty when it ran uninterrupted).</summary>
    [Id(25)] public IReadOnlyList<int> ResumedFromEpochs { get; init; } = Array.Empty<int>();
    /// <summary>Silos that ran the trial, in order.</summary>
    [Id(26)] public IReadOnlyList<string> Silos { get; init; } = Array.Empty<string>();
    [Id(27)] public DateTime StartedAt { get; init; }
    [Id(28)] public DateTime FinishedAt { get; init; }

    /// <summary>Error of the deterministic network on the held-out validation split (the tail of the training file); null without one.</summary>
    [Id(29)] public double? ValidationError { get; init; }

    public string? Setting(string name) => Settings.TryGetValue(name, out var value) ? value : null;
}
