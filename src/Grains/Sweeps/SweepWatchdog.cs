using Microsoft.Extensions.Logging;
using Sweep.Grains.Abstractions.Trials;

namespace Sweep.Grains.Sweeps;

/// <summary>
/// One round of the coordinator's watchdog over the started trials: a trial whose silo is gone goes back to pending
/// (counted as a restart) to be dispatched again; every other is pinged on its silo, which starts it if its start
/// call was lost (it holds a slot on a live silo, so nothing else would), resumes a run lost with its activation,
/// and re-delivers an undelivered result.
/// </summary>
public static partial class SweepWatchdog
{
    /// <summary>Sends the trials of lost silos back to pending (logged) and returns them, and the trials to ping where they run.</summary>
    public static (IReadOnlyList<TrialRecord> Lost, IReadOnlyList<(TrialRecord Trial, SiloAddress Silo)> Pings) Round(
        string sweepId, IReadOnlyList<TrialRecord> trials, IReadOnlyDictionary<SiloAddress, int> live, ILogger logger)
    {
        var lost = new List<TrialRecord>();
        var pings = new List<(TrialRecord, SiloAddress)>();
        foreach (var record in trials.Where(t => t.Started))
        {
            var silo = record.Silo is null ? null : SiloAddress.FromParsableString(record.Silo);
            if (silo is not null && live.ContainsKey(silo))
            {
                pings.Add((record, silo));
                continue;
            }
            LogTrialLost(logger, new TrialKey(sweepId, record.Index), record.Silo ?? "(unknown)");
            lost.Add(record);
            record.State = TrialState.Pending;
            record.Silo = null;
            record.Restarts++;
        }
        return (lost, pings);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Trial {Trial} lost with silo {Silo}; restarting it on a live silo")]
    private static partial void LogTrialLost(ILogger logger, TrialKey trial, string silo);
}
