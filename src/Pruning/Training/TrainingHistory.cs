namespace Sweep.Pruning.Training;

/// <summary>What a trial has recorded epoch by epoch: a checkpoint carries it, the result reports it.</summary>
internal sealed class TrainingHistory
{
    /// <summary>Each finished epoch's progress.</summary>
    public List<EpochProgress> Epochs { get; } = [];

    /// <summary>Alive groups per gated layer at each epoch's end.</summary>
    public List<int[]> EpochWidths { get; } = [];

    /// <summary>Groups with theta &gt;= 0.5 per gated layer at each epoch's end (the deterministic network's widths).</summary>
    public List<int[]> EpochDeterministicWidths { get; } = [];

    /// <summary>Training multiply-adds per step from each step where they changed (compactions).</summary>
    public List<FlopsChange> FlopsTimeline { get; } = [];
}
