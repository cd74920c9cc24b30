using Sweep.Grains.Abstractions.Trials;

namespace Sweep.Grains.Sweeps;

/// <summary>The results on a sweep's trial records: each recorded once, whoever delivers it and however often.</summary>
public static class SweepResults
{
    /// <summary>The results delivered so far, in trial order.</summary>
    public static IReadOnlyList<TrialResult> Delivered(IReadOnlyList<TrialRecord> trials) =>
        trials.Where(t => t.Result is not null).Select(t => t.Result!).ToArray();

    /// <summary>
    /// Records a finished trial's result on its record and returns how to take it back (when it cannot be
    /// persisted, the trial delivers again); null when the trial has a result already (a second delivery is ignored).
    /// Throws for a trial the sweep does not have and for a result that is not final.
    /// </summary>
    public static Action? Record(string sweepId, IReadOnlyList<TrialRecord> trials, TrialResult result)
    {
        if (result.Index < 0 || result.Index >= trials.Count)
        {
            throw new ArgumentException($"Sweep '{sweepId}' has no trial {result.Index} (it has {trials.Count}).", nameof(result));
        }
        if (!result.State.IsTerminal())
        {
            throw new ArgumentException($"Sweep '{sweepId}': trial {result.Index} delivered a result in state {result.State}.", nameof(result));
        }
        var record = trials[result.Index];
        if (record.Result is not null)
        {
            return null;
        }
        var (previousState, previousSilo) = (record.State, record.Silo);
        record.Result = result;
        record.State = result.State;
        record.Silo = null;
        return () =>
        {
            record.Result = null;
            (record.State, record.Silo) = (previousState, previousSilo);
        };
    }

    /// <summary>Cancels every unfinished trial (a cancelled result, no metrics); returns those that were started, to be told.</summary>
    public static IReadOnlyList<TrialRecord> CancelUnfinished(IReadOnlyList<TrialRecord> trials, DateTime now)
    {
        var started = trials.Where(t => t.Started).ToArray();
        foreach (var record in trials.Where(t => !t.State.IsTerminal()))
        {
            record.State = TrialState.Cancelled;
            record.Result = new TrialResult
            {
                Index = record.Index, Grid = record.Spec.Grid, Settings = record.Spec.Settings,
                State = TrialState.Cancelled, FailureReason = "cancelled", FailureMessage = "the sweep was cancelled",
                FinishedAt = now,
            };
        }
        return started;
    }
}
