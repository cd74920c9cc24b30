using Sweep.Grains.Abstractions.Specs;
using Sweep.Grains.Abstractions.Sweeps;
using Sweep.Grains.Abstractions.Trials;

namespace Sweep.Grains.Sweeps;

/// <summary>
/// What the coordinator knows of its trials beyond their records: each one's latest progress and when it was last
/// heard of (kept in memory only: the trials report again). From them and the records it builds the sweep's status:
/// counts by state, epochs done of the total, the trials that stall, and the time left (the rate of epochs so far
/// applied to the epochs still to train).
/// </summary>
public sealed class SweepProgressTracker(TimeSpan stallTimeout)
{
    private readonly Dictionary<int, TrialProgress> _progress = [];
    private readonly Dictionary<int, DateTime> _lastHeard = [];

    /// <summary>A trial's report; ignored for a trial the sweep does not have or one already finished.</summary>
    public void Report(IReadOnlyList<TrialRecord> trials, TrialProgress progress, DateTime now)
    {
        if (progress.Key.Index < 0 || progress.Key.Index >= trials.Count)
        {
            return;
        }
        var record = trials[progress.Key.Index];
        if (record.State.IsTerminal())
        {
            return;
        }
        _progress[progress.Key.Index] = progress;
        _lastHeard[progress.Key.Index] = now;
        if (progress.State is TrialState.Queued or TrialState.Running)
        {
            record.State = progress.State;
            record.Silo = progress.Silo ?? record.Silo;
        }
    }

    /// <summary>
    /// A trial's progress no longer counts (it finished, or its silo was lost and it starts again); until it reports
    /// again, it was last heard of when it was dispatched.
    /// </summary>
    public void Forget(int index)
    {
        _progress.Remove(index);
        _lastHeard.Remove(index);
    }

    public void Forget(IEnumerable<TrialRecord> trials)
    {
        foreach (var record in trials)
        {
            Forget(record.Index);
        }
    }

    public SweepStatus Status(string sweepId, SweepGrainState sweep, int clusterSlots, DateTime now)
    {
        long trained = 0, remaining = 0, total = 0;
        var trials = new List<TrialStatus>(sweep.Trials.Count);
        foreach (var record in sweep.Trials)
        {
            var epochs = Epochs(record.Spec);
            _progress.TryGetValue(record.Index, out var progress);
            var done = record.State == TrialState.Completed ? epochs : Math.Min(epochs, progress?.EpochsDone ?? 0);
            total += epochs;
            trained += done;
            if (!record.State.IsTerminal())
            {
                remaining += epochs - done;
            }
            var heard = _lastHeard.TryGetValue(record.Index, out var at) ? at : record.DispatchedAt ?? now;
            // The trial's own count covers the restarts the coordinator did not see (a ping resumed it elsewhere, a
            // transient retry); the coordinator's covers a trial lost before its grain ever started a run.
            var attempts = record.Result?.Attempts ?? progress?.Attempts ?? 0;
            trials.Add(new TrialStatus
            {
                Spec = record.Spec,
                State = record.State,
                Progress = progress,
                Restarts = Math.Max(record.Restarts, attempts - 1),
                Stalled = record.Started && now - heard > stallTimeout,
                FailureReason = record.Result?.FailureReason,
            });
        }
        TimeSpan? eta = null;
        if (sweep.State == SweepState.Running && trained > 0 && sweep.LaunchedAt is { } launched)
        {
            eta = TimeSpan.FromSeconds((now - launched).TotalSeconds / trained * remaining);
        }
        return new SweepStatus
        {
            SweepId = sweepId,
            Name = sweep.Spec?.Name ?? "",
            State = sweep.State,
            LaunchedAt = sweep.LaunchedAt,
            FinishedAt = sweep.FinishedAt,
            Counts = Counts(sweep.Trials),
            Trials = trials,
            EpochsDone = trained,
            EpochsTotal = total,
            Eta = eta,
            ClusterSlots = clusterSlots,
        };
    }

    /// <summary>The sweep's line in the registry (`sweep list`).</summary>
    public static SweepSummary Summary(string sweepId, SweepGrainState sweep, DateTime now)
    {
        var counts = Counts(sweep.Trials);
        return new SweepSummary
        {
            SweepId = sweepId,
            Name = sweep.Spec?.Name ?? "",
            State = sweep.State,
            LaunchedAt = sweep.LaunchedAt ?? now,
            FinishedAt = sweep.FinishedAt,
            Trials = sweep.Trials.Count,
            Completed = counts.Completed,
            Failed = counts.Failed,
        };
    }

    public static TrialCounts Counts(IReadOnlyList<TrialRecord> trials) => new()
    {
        Pending = trials.Count(t => t.State == TrialState.Pending),
        Queued = trials.Count(t => t.State == TrialState.Queued),
        Running = trials.Count(t => t.State == TrialState.Running),
        Completed = trials.Count(t => t.State == TrialState.Completed),
        Failed = trials.Count(t => t.State == TrialState.Failed),
        Cancelled = trials.Count(t => t.State == TrialState.Cancelled),
    };

    /// <summary>The epochs the trainer runs for the trial: the option schema's default when the spec leaves them out.</summary>
    private static int Epochs(TrialSpec spec) => Sweep.Options.TrialOptionSchema.Epochs.Read(spec.Settings);
}
