using Sweep.Grains.Abstractions.Trials;
using Sweep.Pruning.Training;

namespace Sweep.Grains.Runner;

/// <summary>
/// How a run reports to the trial it belongs to. Methods returning false mean the trial no longer
/// owns this run (it was cancelled, or restarted elsewhere): the runner stops it.
/// </summary>
public interface ITrialRunCallbacks
{
    Task<bool> StartedAsync(CancellationToken cancellationToken);

    /// <summary>Non-blocking; delivered in order.</summary>
    void Progress(TrialEpoch epoch, bool epochEnd);

    /// <summary>Persists the checkpoint (retrying transient storage failures) before training goes on.</summary>
    Task<bool> CheckpointAsync(TrainingCheckpoint checkpoint, CancellationToken cancellationToken);

    /// <summary>A transient failure: the run starts again from <paramref name="fromEpoch"/>'s checkpoint.</summary>
    Task<bool> RestartingAsync(int fromEpoch, string reason, CancellationToken cancellationToken);

    Task CompletedAsync(TrialResult result);

    Task FailedAsync(string reason, string message);
}
