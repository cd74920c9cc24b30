using Sweep.Grains.Abstractions.Sweeps;
using Sweep.Grains.Abstractions.Trials;

namespace Sweep.Grains.Events;

/// <summary>The default <see cref="ISweepEvents"/>: no telemetry.</summary>
public sealed class NoSweepEvents : ISweepEvents
{
    public void SweepLaunched(string sweepId, string name, int trials) { }
    public void SweepFinished(string sweepId, SweepState state, TimeSpan duration) { }
    public void TrialStateChanged(TrialKey trial, string architecture, TrialState? from, TrialState to) { }
    public IDisposable? TrialRunStarting(TrialKey trial, string architecture, int resumeFromEpoch) => null;
    public void EpochCompleted(TrialKey trial, string architecture, TrialEpoch epoch, TimeSpan duration, long examples) { }
    public void CheckpointSaved(TrialKey trial, int epoch, long bytes, TimeSpan duration) { }
    public void TrialRestarted(TrialKey trial, string reason) { }
}
