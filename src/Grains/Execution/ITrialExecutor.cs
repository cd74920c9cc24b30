using Sweep.Pruning.Training;

namespace Sweep.Grains.Execution;

/// <summary>
/// Trains one trial. The trial runner calls <see cref="PrepareAsync"/> on the thread pool (data
/// download and loading), then <see cref="Run"/> on a dedicated thread of its own (never on the
/// Orleans scheduler).
/// </summary>
public interface ITrialExecutor
{
    /// <summary>Makes the dataset available (fetches a known dataset when missing, loads it once per process).</summary>
    Task PrepareAsync(TrialWork work, CancellationToken cancellationToken);

    /// <summary>
    /// Blocking: trains from scratch or from <paramref name="resumeFrom"/>. Throws
    /// <see cref="TrainingFailedException"/> for deterministic failures and
    /// <see cref="OperationCanceledException"/> when cancelled.
    /// </summary>
    TrainingResult Run(TrialWork work, TrainingHooks hooks, TrainingCheckpoint? resumeFrom, CancellationToken cancellationToken);
}
