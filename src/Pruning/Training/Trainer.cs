using Sweep.Options;
namespace Sweep.Pruning.Training;

/// <summary>Runs one training trial of the parsimonious learning algorithm (docs/ALGORITHM.md).</summary>
public static class Trainer
{
    /// <summary>
    /// Trains from scratch, or from <paramref name="resumeFrom"/> to exactly the result an
    /// uninterrupted run would give. Blocking and CPU-bound: call it on a dedicated thread.
    /// Throws <see cref="TrainingFailedException"/> for deterministic failures and
    /// <see cref="OperationCanceledException"/> when cancelled (checked between steps).
    /// </summary>
    public static TrainingResult Run(
        TrialOptions options, TrainingData data, TrainingHooks? hooks = null,
        TrainingCheckpoint? resumeFrom = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(data);
        options.Validate();
        if (hooks?.SetProcessThreadCount == true)
        {
            // Process-wide: only single-trial hosts ask for this (see TrainingHooks.SetProcessThreadCount).
            Engine.EngineSetup.UseThreads(options.Threads);
        }
        using var session = new TrainingSession(options, data, hooks, cancellationToken);
        return session.Run(resumeFrom);
    }
}
