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

    /// <summary>
    /// When true the trainer calls torch.set_num_threads(options.Threads) before training. That setting is
    /// PROCESS-WIDE in libtorch: a host that runs several trials in one process (the silo's trial executor)
    /// calls <see cref="Engine.EngineSetup.UseThreads"/> with the count all its trials share and leaves this
    /// false; a single-trial host (`sweep train`) may set it.
    /// </summary>
    public bool SetProcessThreadCount { get; init; }
}
