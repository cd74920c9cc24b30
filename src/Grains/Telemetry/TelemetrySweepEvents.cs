using System.Collections.Concurrent;
using System.Diagnostics;
using Sweep.Grains.Abstractions.Sweeps;
using Sweep.Grains.Abstractions.Trials;
using Sweep.Grains.Events;
using Sweep.Pruning.Models;
using static Sweep.Grains.Abstractions.Telemetry.TelemetryNames;

namespace Sweep.Grains.Telemetry;

/// <summary>
/// The <see cref="ISweepEvents"/> a silo with telemetry registers (AddSweepTelemetry): forwards the coordinator's,
/// the trial grains' and the runner's events to <see cref="SweepTelemetry"/>. Spans of one run: the trial span is
/// the scope <see cref="TrialRunStarting"/> returns (a child of the grain call that started the trial, hence of the
/// client's launch span); each epoch span is opened retroactively at the epoch's end, under the trial span, and
/// stays open until that epoch's checkpoint is saved, whose span is its child.
/// </summary>
public sealed class TelemetrySweepEvents(SweepTelemetry telemetry) : ISweepEvents
{
    private readonly ConcurrentDictionary<TrialKey, TrialRun> _runs = new();

    public void SweepLaunched(string sweepId, string name, int trials) =>
        telemetry.SweepProgress(sweepId, new Dictionary<string, int> { [nameof(TrialState.Pending)] = trials }, etaSeconds: null);

    public void SweepProgress(string sweepId, TrialCounts counts, TimeSpan? eta)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var finished = counts.Total > 0 && counts.Finished == counts.Total;
        telemetry.SweepProgress(sweepId, ByState(counts), eta?.TotalSeconds, finished);
    }

    public void SweepFinished(string sweepId, SweepState state, TimeSpan duration) => telemetry.Sweeps.MarkFinished(sweepId);

    public void TrialStateChanged(TrialKey trial, string architecture, TrialState? from, TrialState to) =>
        telemetry.TrialStateChanged(trial.SweepId, trial.Index, architecture, to.ToString(), finished: to.IsTerminal());

    public IDisposable? TrialRunStarting(TrialKey trial, string architecture, int resumeFromEpoch)
    {
        // A child of the current span: the grain call that submitted the run (its context flows to the training thread).
        var span = telemetry.StartTrialActivity(trial.SweepId, trial.Index, architecture, resumeFromEpoch);
        var run = new TrialRun(trial, architecture, span, LayerNames(architecture));
        _runs[trial] = run;
        return new RunScope(this, run);
    }

    public void EpochCompleted(TrialKey trial, string architecture, TrialEpoch epoch, TimeSpan duration, long examples)
    {
        ArgumentNullException.ThrowIfNull(epoch);
        _runs.TryGetValue(trial, out var run);
        var end = DateTimeOffset.UtcNow;

        long steps;
        if (run is null)
        {
            steps = epoch.Epoch > 0 ? epoch.Step / epoch.Epoch : epoch.Step;
        }
        else
        {
            lock (run)
            {
                // After a resume the run does not know the checkpoint's step: the trial's mean steps per epoch.
                steps = run.LastStep is { } last ? epoch.Step - last : epoch.Epoch > 0 ? epoch.Step / epoch.Epoch : epoch.Step;
                run.LastStep = epoch.Step;
            }
        }

        var layers = run?.LayerNames is { } names && names.Count == epoch.Widths.Count ? names : null;
        telemetry.RecordEpoch(trial.SweepId, trial.Index, architecture, new EpochMeasurement
        {
            Epoch = epoch.Epoch,
            DurationSeconds = duration.TotalSeconds,
            Examples = examples,
            TrainingFlops = epoch.FlopsPerStep * Math.Max(0, steps),
            FlopsPerStep = epoch.FlopsPerStep,
            TrainLoss = epoch.TrainLoss,
            TestError = epoch.TestError ?? double.NaN,
            Widths = epoch.Widths,
            LayerNames = layers,
            UndecidedGates = epoch.Undecided,
            PrunedParametersFraction = 1 - epoch.ParametersFraction,
            PrunedFlopsFraction = 1 - epoch.FlopsFraction,
        });

        var parent = run?.Span?.Context ?? Activity.Current?.Context ?? default;
        var span = WithoutChangingCurrent(() =>
            telemetry.StartEpochActivity(trial.SweepId, trial.Index, architecture, epoch.Epoch, parent, end - duration));
        if (span is null)
        {
            return;
        }

        span.SetTag(Attributes.Loss, epoch.TrainLoss);
        if (epoch.TestError is { } error)
        {
            span.SetTag(Attributes.TestError, error);
        }

        if (run is null)
        {
            Stop(span, end);
            return;
        }

        lock (run)
        {
            // An epoch without a checkpoint ends where it ended.
            if (run.OpenEpoch is { } open)
            {
                Stop(open.Span, open.End);
            }

            run.OpenEpoch = (span, end, epoch.Epoch);
        }
    }

    public void CheckpointSaved(TrialKey trial, int epoch, long bytes, TimeSpan duration)
    {
        var end = DateTimeOffset.UtcNow;
        _runs.TryGetValue(trial, out var run);
        var architecture = run?.Architecture ?? ArchitectureOf(trial);

        (Activity Span, DateTimeOffset End, int Epoch)? open = null;
        if (run is not null)
        {
            lock (run)
            {
                if (run.OpenEpoch is { } candidate && candidate.Epoch == epoch)
                {
                    open = candidate;
                    run.OpenEpoch = null;
                }
            }
        }

        var parent = open?.Span.Context ?? run?.Span?.Context ?? default;
        WithoutChangingCurrent(() =>
        {
            using var span = telemetry.StartCheckpointActivity(trial.SweepId, trial.Index, architecture, epoch, parent);
            span?.SetStartTime((end - duration).UtcDateTime);
            telemetry.RecordCheckpoint(trial.SweepId, trial.Index, architecture, bytes, duration);
            return null;
        });

        if (open is { } done)
        {
            Stop(done.Span, DateTimeOffset.UtcNow);
        }
    }

    public void TrialRestarted(TrialKey trial, string reason)
    {
        _runs.TryGetValue(trial, out var run);
        telemetry.TrialRestarted(trial.SweepId, trial.Index, run?.Architecture ?? ArchitectureOf(trial), reason);
    }

    private void RunEnded(TrialRun run)
    {
        lock (run)
        {
            if (run.OpenEpoch is { } open)
            {
                Stop(open.Span, open.End);
                run.OpenEpoch = null;
            }
        }

        // Disposed on the training thread, where the trial span is current: stopping it restores its parent.
        run.Span?.Dispose();
        _runs.TryRemove(new KeyValuePair<TrialKey, TrialRun>(run.Key, run));
    }

    private static Dictionary<string, int> ByState(TrialCounts counts) => new()
    {
        [nameof(TrialState.Pending)] = counts.Pending,
        [nameof(TrialState.Queued)] = counts.Queued,
        [nameof(TrialState.Running)] = counts.Running,
        [nameof(TrialState.Completed)] = counts.Completed,
        [nameof(TrialState.Failed)] = counts.Failed,
        [nameof(TrialState.Cancelled)] = counts.Cancelled,
    };

    /// <summary>The architecture this silo last saw for the trial ("" when the trial runs elsewhere, e.g. for the coordinator).</summary>
    private string ArchitectureOf(TrialKey trial) =>
        telemetry.Trials.TryGet(trial, out var snapshot) ? snapshot.Architecture : "";

    /// <summary>The gated layers' names of a known architecture (every layer but the output); null otherwise.</summary>
    private static string[]? LayerNames(string architecture)
    {
        try
        {
            return Architectures.Layers(architecture, 1, 10).SkipLast(1).Select(l => l.Name).ToArray();
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>Starting or stopping a span makes it (or its parent) current; these spans must not leak into the caller's context.</summary>
    private static Activity? WithoutChangingCurrent(Func<Activity?> body)
    {
        var current = Activity.Current;
        try
        {
            return body();
        }
        finally
        {
            Activity.Current = current;
        }
    }

    private static void Stop(Activity span, DateTimeOffset end)
    {
        var current = Activity.Current;
        span.SetEndTime(end.UtcDateTime);
        span.Stop();
        Activity.Current = current;
    }

    private sealed class TrialRun(TrialKey key, string architecture, Activity? span, IReadOnlyList<string>? layerNames)
    {
        public TrialKey Key { get; } = key;
        public string Architecture { get; } = architecture;
        public Activity? Span { get; } = span;
        public IReadOnlyList<string>? LayerNames { get; } = layerNames;
        public long? LastStep { get; set; }
        public (Activity Span, DateTimeOffset End, int Epoch)? OpenEpoch { get; set; }
    }

    private sealed class RunScope(TelemetrySweepEvents events, TrialRun run) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                events.RunEnded(run);
            }
        }
    }
}
