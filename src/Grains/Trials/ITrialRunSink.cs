using Orleans.Concurrency;
using Sweep.Grains.Abstractions.Trials;

namespace Sweep.Grains.Trials;

/// <summary>
/// The trial grain's side of the runner and the watchdog: server-side only (the client uses
/// <see cref="ITrialGrain"/>). Run callbacks carry the run id; a stale run gets false and stops.
/// </summary>
public interface ITrialRunSink : IGrainWithStringKey
{
    Task<bool> RunStarted(Guid runId, string silo);

    Task<bool> RunProgress(Guid runId, TrialEpoch epoch, bool epochEnd);

    Task<bool> RunCheckpoint(Guid runId, int epoch, long step, byte[] payload);

    Task<bool> RunRestarting(Guid runId, int fromEpoch, string reason);

    Task RunCompleted(Guid runId, TrialResult result);

    Task RunFailed(Guid runId, string reason, string message);

    /// <summary>
    /// The watchdog's ping: start the trial if its start never arrived (hence the spec), resume it if
    /// its run was lost, deliver its result if undelivered.
    /// </summary>
    [OneWay]
    Task EnsureRunning(TrialSpec spec);
}
