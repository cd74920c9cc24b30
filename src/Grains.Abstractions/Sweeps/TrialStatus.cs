using Sweep.Grains.Abstractions.Trials;

namespace Sweep.Grains.Abstractions.Sweeps;

/// <summary>One line of `sweep status`: a trial's spec, state and latest progress.</summary>
[GenerateSerializer, Immutable]
public sealed record TrialStatus
{
    [Id(0)] public required TrialSpec Spec { get; init; }
    [Id(1)] public required TrialState State { get; init; }
    /// <summary>Latest progress the coordinator received; null before the trial reported.</summary>
    [Id(2)] public TrialProgress? Progress { get; init; }
    /// <summary>
    /// How many times the trial started again: after its silo or its run was lost (whether the
    /// coordinator saw the silo go or the watchdog's ping found the run gone) or a transient failure.
    /// </summary>
    [Id(3)] public int Restarts { get; init; }
    /// <summary>True when a started trial has reported nothing for longer than the stall timeout.</summary>
    [Id(4)] public bool Stalled { get; init; }
    [Id(5)] public string? FailureReason { get; init; }
}
