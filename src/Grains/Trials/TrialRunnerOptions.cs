namespace Sweep.Grains.Trials;

/// <summary>The silo's trial runner (configuration section "Sweep:TrialRunner").</summary>
public sealed class TrialRunnerOptions
{
    public const string Section = "Sweep:TrialRunner";

    /// <summary>Trials trained at once on this silo; default: cores / threads per trial (at least 1).</summary>
    public int? Slots { get; set; }

    /// <summary>
    /// libtorch threads per trial. libtorch's thread setting is process-wide, so every trial of a
    /// silo gets the same value, and slots x threads should not exceed the cores.
    /// </summary>
    public int ThreadsPerTrial { get; set; } = 1;

    /// <summary>Retries of a trial after a transient failure (each resumes from the last checkpoint).</summary>
    public int MaxTransientRetries { get; set; } = 2;

    /// <summary>First delay before a transient retry (exponential backoff with jitter after it).</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Attempts to persist a checkpoint before the run gives up on it (transient storage failures).</summary>
    public int CheckpointWriteAttempts { get; set; } = 3;

    /// <summary>On shutdown, how long running trials may take to reach their next checkpoint before they are cancelled.</summary>
    public TimeSpan ShutdownGrace { get; set; } = TimeSpan.FromSeconds(20);

    public int EffectiveSlots => Slots is > 0 ? Slots.Value : Math.Max(1, Environment.ProcessorCount / Math.Max(1, ThreadsPerTrial));
}
