using Sweep.Grains.Abstractions.Sweeps;
using Sweep.Grains.Abstractions.Trials;

namespace Sweep.Grains.Events;

/// <summary>
/// Extension point for telemetry: the coordinator, the trial grains and the trial runner report
/// what happens here. The default does nothing; the telemetry of src/Grains/Telemetry replaces it
/// (register an implementation before or after AddSweep: the last registration wins).
/// Calls are synchronous and must not block; the runner calls some of them on training threads.
/// </summary>
public interface ISweepEvents
{
    void SweepLaunched(string sweepId, string name, int trials);

    void SweepFinished(string sweepId, SweepState state, TimeSpan duration);

    /// <summary>The coordinator's counts of its trials by state and its estimate of the time left (null until measurable).</summary>
    void SweepProgress(string sweepId, TrialCounts counts, TimeSpan? eta)
    {
    }

    void TrialStateChanged(TrialKey trial, string architecture, TrialState? from, TrialState to);

    /// <summary>
    /// On the training thread, before training starts (or resumes from <paramref name="resumeFromEpoch"/>);
    /// the returned scope (e.g. a trial span) is disposed on the same thread when the run ends.
    /// </summary>
    IDisposable? TrialRunStarting(TrialKey trial, string architecture, int resumeFromEpoch);

    /// <summary>On the training thread, at each epoch end; <paramref name="examples"/> were trained in <paramref name="duration"/>.</summary>
    void EpochCompleted(TrialKey trial, string architecture, TrialEpoch epoch, TimeSpan duration, long examples);

    void CheckpointSaved(TrialKey trial, int epoch, long bytes, TimeSpan duration);

    /// <summary>A trial is started again: after a silo loss (coordinator), a lost activation or a transient failure.</summary>
    void TrialRestarted(TrialKey trial, string reason);
}
