using Sweep.Grains.Abstractions.Specs;
using Sweep.Grains.Abstractions.Sweeps;
using Sweep.Grains.Abstractions.Trials;

namespace Sweep.Grains.Sweeps;

/// <summary>The persisted state of a sweep: its spec and one record per trial (with the result once delivered).</summary>
[GenerateSerializer]
public sealed class SweepGrainState
{
    [Id(0)] public SweepSpec? Spec { get; set; }
    /// <summary><see cref="SweepSpecValidator.CanonicalText"/> of the spec: a relaunch must match it.</summary>
    [Id(1)] public string? CanonicalSpec { get; set; }
    [Id(2)] public SweepState State { get; set; }
    [Id(3)] public DateTime? LaunchedAt { get; set; }
    [Id(4)] public DateTime? FinishedAt { get; set; }
    [Id(5)] public List<TrialRecord> Trials { get; set; } = [];
}
