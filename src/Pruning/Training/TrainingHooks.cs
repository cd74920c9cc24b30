namespace Sweep.Pruning.Training;

/// <summary>Callbacks a host gives the trainer: progress for display/telemetry, checkpoints for durability.</summary>
public sealed class TrainingHooks
{
    /// <summary>After every epoch (test error evaluated).</summary>
    public Action<EpochProgress>? OnEpoch { get; init; }

    /// <summary>Every <see cref="StepInterval"/> steps (TestError is NaN).</summary>
    public Action<EpochProgress>? OnSteps { get; init; }

    public int StepInterval { get; init; } = 100;

    /// <summary>At the end of each epoch, with a checkpoint from which <see cref="Trainer.Run"/> can resume exactly.</summary>
    public Func<TrainingCheckpoint, CancellationToken, Task>? OnCheckpoint { get; init; }
}
