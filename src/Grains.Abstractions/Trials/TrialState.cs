namespace Sweep.Grains.Abstractions.Trials;

/// <summary>Where a trial is in its life. Completed, Failed and Cancelled are terminal.</summary>
public enum TrialState
{
    /// <summary>Persisted by the coordinator, not yet handed to a silo.</summary>
    Pending = 0,
    /// <summary>Handed to a silo's trial runner, waiting for a free slot.</summary>
    Queued = 1,
    /// <summary>Training on a slot.</summary>
    Running = 2,
    Completed = 3,
    /// <summary>A deterministic failure (divergence, bad data, invalid options) or retries exhausted.</summary>
    Failed = 4,
    Cancelled = 5,
}
