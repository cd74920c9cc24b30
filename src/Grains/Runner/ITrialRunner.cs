using Sweep.Grains.Abstractions.Trials;

namespace Sweep.Grains.Runner;

/// <summary>The silo-local service that trains trials on a fixed number of slots.</summary>
public interface ITrialRunner
{
    int Slots { get; }

    /// <summary>Trials training now / waiting for a slot.</summary>
    (int Running, int Queued) Load { get; }

    /// <summary>True while this silo runs (or queues) run <paramref name="runId"/> of the trial.</summary>
    bool Owns(TrialKey trial, Guid runId);

    /// <summary>Queues the run; returns at once. A run of the same trial already here is cancelled.</summary>
    void Submit(TrialRunRequest request);

    /// <summary>Cancels the trial's run (mid-epoch when training), or only run <paramref name="runId"/> when given; no callback follows.</summary>
    void Cancel(TrialKey trial, Guid? runId = null);
}
