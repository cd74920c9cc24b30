using Sweep.Grains.Abstractions.Trials;

namespace Sweep.Grains.Trials;

/// <summary>The persisted state of a trial (the checkpoint is stored apart, see <see cref="TrialCheckpointState"/>).</summary>
[GenerateSerializer]
public sealed class TrialGrainState
{
    [Id(0)] public TrialSpec? Spec { get; set; }
    [Id(1)] public TrialState State { get; set; }
    /// <summary>The run that owns the trial; callbacks of any other run are refused.</summary>
    [Id(2)] public Guid RunId { get; set; }
    [Id(3)] public int Attempts { get; set; }
    [Id(4)] public List<int> ResumedFromEpochs { get; set; } = [];
    [Id(5)] public List<string> Silos { get; set; } = [];
    [Id(6)] public TrialResult? Result { get; set; }
    [Id(7)] public bool ResultDelivered { get; set; }
    [Id(8)] public DateTime? StartedAt { get; set; }
    [Id(9)] public TrialEpoch? LastEpoch { get; set; }
}
