using Sweep.Grains.Abstractions.Specs;
using Sweep.Grains.Abstractions.Sweeps;
using Sweep.Grains.Abstractions.Trials;

namespace Sweep.Grains.Sweeps;

/// <summary>The coordinator's view of one trial.</summary>
[GenerateSerializer]
public sealed class TrialRecord
{
    [Id(0)] public required TrialSpec Spec { get; set; }
    [Id(1)] public TrialState State { get; set; }
    /// <summary>Silo the trial was placed on (Orleans parsable silo address) while started.</summary>
    [Id(2)] public string? Silo { get; set; }
    /// <summary>Times the coordinator restarted the trial after losing its silo.</summary>
    [Id(3)] public int Restarts { get; set; }
    [Id(4)] public DateTime? DispatchedAt { get; set; }
    [Id(5)] public TrialResult? Result { get; set; }

    public int Index => Spec.Index;

    public bool Started => State is TrialState.Queued or TrialState.Running;
}
