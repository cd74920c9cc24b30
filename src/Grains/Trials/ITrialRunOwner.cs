using Orleans.Concurrency;
using Sweep.Grains.Abstractions.Trials;

namespace Sweep.Grains.Trials;

/// <summary>
/// The trial grain as its runs and the coordinator's watchdog see it: server-side only (the client uses
/// <see cref="ITrialGrain"/>). A run's reports carry its id; a run the trial no longer owns gets false and stops.
/// </summary>
public interface ITrialRunOwner : IGrainWithStringKey
{
    Task<bool> RunStarted(Guid runId);

    Task<bool> RunProgress(Guid runId, TrialEpoch epoch, bool epochEnd);

    Task<bool> RunCheckpoint(Guid runId, int epoch, long step, byte[] payload);

    Task<bool> RunRestarting(Guid runId, int fromEpoch, string reason);

    /// <summary>
    /// The run ended; its outcome is on the <see cref="TrialRun"/> the grain submitted (a trainer's result is not a
    /// wire type, and a run never leaves the silo of the activation that submitted it).
    /// </summary>
    Task RunFinished(Guid runId);

    /// <summary>
    /// The watchdog's ping: start the trial if its start never arrived (hence the spec), resume it if
    /// its run was lost, deliver its result if undelivered.
    /// </summary>
    [OneWay]
    Task EnsureRunning(TrialSpec spec);
}
