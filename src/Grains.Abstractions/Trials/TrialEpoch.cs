namespace Sweep.Grains.Abstractions.Trials;

/// <summary>What one epoch of a trial measured (mirror of the trainer's per-epoch progress).</summary>
[GenerateSerializer, Immutable]
public sealed record TrialEpoch
{
    /// <summary>1-based count of completed epochs.</summary>
    [Id(0)] public int Epoch { get; init; }
    [Id(1)] public long Step { get; init; }
    [Id(2)] public double TrainLoss { get; init; }
    /// <summary>Test error of the deterministic network; null when not evaluated (intra-epoch reports).</summary>
    [Id(3)] public double? TestError { get; init; }
    /// <summary>Current width of every gated layer.</summary>
    [Id(4)] public IReadOnlyList<int> Widths { get; init; } = Array.Empty<int>();
    [Id(5)] public int Undecided { get; init; }
    /// <summary>Training multiply-adds of the current network per step.</summary>
    [Id(6)] public double FlopsPerStep { get; init; }
    /// <summary>Wall seconds since this run (or resume) started.</summary>
    [Id(7)] public double Seconds { get; init; }
    /// <summary>Parameters of the current (alive) network as a fraction of the starting network's; null when unknown.</summary>
    [Id(8)] public double? ParametersFraction { get; init; }
    /// <summary>Forward multiply-adds of the current network as a fraction of the starting network's; null when unknown.</summary>
    [Id(9)] public double? FlopsFraction { get; init; }
    /// <summary>Error of the deterministic network on the validation split; null without one or when not evaluated.</summary>
    [Id(10)] public double? ValidationError { get; init; }
}
