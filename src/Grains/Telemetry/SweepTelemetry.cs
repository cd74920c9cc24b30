using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Sweep.Grains.Abstractions.Trials;
using static Sweep.Grains.Abstractions.Telemetry.TelemetryNames;

namespace Sweep.Grains.Telemetry;

/// <summary>
/// Sweep's instrumentation: the product's one <see cref="System.Diagnostics.Metrics.Meter"/> (from the host's
/// <see cref="IMeterFactory"/>) and one <see cref="System.Diagnostics.ActivitySource"/>, both named
/// <see cref="Source"/>, with one-line calls taking plain values for the grains and the trial runner. One per
/// silo, registered by <c>AddSweepTelemetry</c>; its latest-value tables belong to it, so two silos in one process
/// keep their trials apart. Thread-safe; cheap when nobody listens. docs/METRICS.md lists every metric.
/// </summary>
public sealed class SweepTelemetry : IDisposable
{
    private static readonly string? Version = typeof(SweepTelemetry).Assembly.GetName().Version?.ToString();

    private static readonly double[] EpochSecondsBuckets = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000];
    private static readonly double[] CheckpointSecondsBuckets = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
    private static readonly long[] CheckpointBytesBuckets =
        [1L << 10, 1L << 12, 1L << 14, 1L << 16, 1L << 18, 1L << 20, 1L << 22, 1L << 24, 1L << 26, 1L << 28, 1L << 30];

    private readonly Counter<long> _transitions;
    private readonly Counter<long> _restarts;
    private readonly Histogram<double> _epochDuration;
    private readonly Counter<long> _examples;
    private readonly Counter<double> _flops;
    private readonly Histogram<double> _checkpointDuration;
    private readonly Histogram<long> _checkpointSize;

    /// <param name="meterFactory">The host's factory; it owns (and disposes) the meter.</param>
    /// <param name="retention">How long finished and stale trials and sweeps stay in the gauges.</param>
    /// <param name="time">The clock of the retention (tests pass their own).</param>
    public SweepTelemetry(IMeterFactory meterFactory, TrialSeriesRetention? retention = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        retention ??= new TrialSeriesRetention();
        Trials = new LatestValues<TrialKey, TrialSnapshot>(time) { Retention = retention };
        Sweeps = new LatestValues<string, SweepSnapshot>(time) { Retention = retention };
        ActivitySource = new ActivitySource(Source, Version);
        var meter = meterFactory.Create(new MeterOptions(Source) { Version = Version });

        _transitions = meter.CreateCounter<long>(
            Metrics.TrialTransitions, "{transition}", "Trials entering a state (attribute state), e.g. failures.");
        _restarts = meter.CreateCounter<long>(
            Metrics.TrialRestarts, "{restart}", "Trials restarted or resumed from a checkpoint (attribute reason).");
        _epochDuration = meter.CreateHistogram(
            Metrics.EpochDuration, "s", "Wall time of one training epoch, evaluation included.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = EpochSecondsBuckets });
        _examples = meter.CreateCounter<long>(
            Metrics.TrainingExamples, "{example}", "Training examples processed; its rate is examples per second.");
        _flops = meter.CreateCounter<double>(
            Metrics.TrainingFlops, "{flop}", "Training multiply-adds spent; its rate is training FLOPs per second.");
        _checkpointDuration = meter.CreateHistogram(
            Metrics.CheckpointDuration, "s", "Time to persist one checkpoint.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = CheckpointSecondsBuckets });
        _checkpointSize = meter.CreateHistogram(
            Metrics.CheckpointSize, "By", "Size of one persisted checkpoint.",
            tags: null, advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = CheckpointBytesBuckets });

        meter.CreateObservableUpDownCounter(Metrics.Trials, ObserveTrialsByState, "{trial}",
            "Trials of a sweep in each state, as counted by its coordinator.");
        meter.CreateObservableGauge(Metrics.Eta, ObserveEta, "s",
            "Coordinator's estimate of the time left until the sweep completes.");

        meter.CreateObservableGauge(Metrics.Epochs, () => ObserveTrials(static t => t.Measured || t.State == "running" ? t.Epoch : double.NaN, measuredOnly: false), "{epoch}",
            "Epochs the trial has completed (reported from the moment it runs).");
        meter.CreateObservableGauge(Metrics.Loss, () => ObserveTrials(static t => t.Loss), null,
            "Training loss (objective) at the end of the last epoch.");
        meter.CreateObservableGauge(Metrics.TestError, () => ObserveTrials(static t => t.TestError), "1",
            "Test error of the deterministic network after the last evaluated epoch.");
        meter.CreateObservableGauge(Metrics.LayerWidth, ObserveWidths, "{neuron}",
            "Current width of a gated layer (neurons or channels).");
        meter.CreateObservableGauge(Metrics.UndecidedGates, () => ObserveTrials(static t => t.UndecidedGates), "{gate}",
            "Gates neither closed nor open yet.");
        meter.CreateObservableGauge(Metrics.PrunedParameters, () => ObserveTrials(static t => t.PrunedParametersFraction ?? double.NaN), "1",
            "Fraction of the starting network's parameters pruned so far.");
        meter.CreateObservableGauge(Metrics.PrunedFlops, () => ObserveTrials(static t => t.PrunedFlopsFraction ?? double.NaN), "1",
            "Fraction of the starting network's forward FLOPs pruned so far.");
        meter.CreateObservableGauge(Metrics.StepFlops, () => ObserveTrials(static t => t.StepFlops), "{flop}",
            "Training multiply-adds per step of the current network.");
        meter.CreateObservableGauge(Metrics.ExampleRate, () => ObserveTrials(static t => t.ExampleRate), "{example}/s",
            "Training examples per second over the last epoch.");
        meter.CreateObservableGauge(Metrics.FlopRate, () => ObserveTrials(static t => t.FlopRate), "{flop}/s",
            "Training multiply-adds per second over the last epoch.");
    }

    public ActivitySource ActivitySource { get; }

    /// <summary>Latest values of the trials this silo runs (the per-trial gauges).</summary>
    public LatestValues<TrialKey, TrialSnapshot> Trials { get; }

    /// <summary>Latest progress of the sweeps whose coordinator lives on this silo (the sweep gauges).</summary>
    public LatestValues<string, SweepSnapshot> Sweeps { get; }

    // ---------------------------------------------------------------- spans

    /// <summary>
    /// The span of one trial run on this silo, from start (or resume at <paramref name="startEpoch"/>) to its end.
    /// Without <paramref name="parent"/> it is a child of <see cref="Activity.Current"/>.
    /// </summary>
    public Activity? StartTrialActivity(string sweep, int trial, string architecture, int startEpoch = 0, ActivityContext parent = default) =>
        ActivitySource.StartActivity(
            Spans.Trial, ActivityKind.Internal, parent,
            [.. TrialTags(sweep, trial, architecture), new(Attributes.StartEpoch, startEpoch)]);

    /// <summary>
    /// The span of one epoch; <paramref name="startTime"/> lets a caller that only learns of the epoch at its end
    /// open it retroactively. Without <paramref name="parent"/> it is a child of <see cref="Activity.Current"/>.
    /// </summary>
    public Activity? StartEpochActivity(
        string sweep, int trial, string architecture, int epoch, ActivityContext parent = default, DateTimeOffset startTime = default) =>
        ActivitySource.StartActivity(
            Spans.Epoch, ActivityKind.Internal, parent,
            [.. TrialTags(sweep, trial, architecture), new(Attributes.Epoch, epoch)],
            links: null, startTime);

    /// <summary>The span of persisting one checkpoint; without <paramref name="parent"/> a child of <see cref="Activity.Current"/>.</summary>
    public Activity? StartCheckpointActivity(string sweep, int trial, string architecture, int epoch, ActivityContext parent = default) =>
        ActivitySource.StartActivity(
            Spans.Checkpoint, ActivityKind.Internal, parent,
            [.. TrialTags(sweep, trial, architecture), new(Attributes.Epoch, epoch)]);

    // ---------------------------------------------------------------- metrics

    /// <summary>One finished epoch: duration, throughput, FLOPs, and the latest loss, error, widths, gates and pruning.</summary>
    public void RecordEpoch(string sweep, int trial, string architecture, EpochMeasurement epoch)
    {
        ArgumentNullException.ThrowIfNull(epoch);
        var tags = SweepTags(sweep, architecture);
        _epochDuration.Record(epoch.DurationSeconds, tags);
        _examples.Add(epoch.Examples, tags);
        _flops.Add(epoch.TrainingFlops, tags);

        var seconds = epoch.DurationSeconds;
        var layerNames = epoch.LayerNames is { } names && names.Count == epoch.Widths.Count
            ? names
            : Enumerable.Range(0, epoch.Widths.Count).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
        Trials.Update(new TrialKey(sweep, trial), old => (old ?? new TrialSnapshot { Architecture = architecture }) with
        {
            Architecture = architecture,
            Measured = true,
            Epoch = epoch.Epoch,
            Loss = epoch.TrainLoss,
            TestError = double.IsNaN(epoch.TestError) ? old?.TestError ?? double.NaN : epoch.TestError,
            Widths = [.. epoch.Widths],
            LayerNames = layerNames,
            UndecidedGates = epoch.UndecidedGates,
            PrunedParametersFraction = epoch.PrunedParametersFraction ?? old?.PrunedParametersFraction,
            PrunedFlopsFraction = epoch.PrunedFlopsFraction ?? old?.PrunedFlopsFraction,
            StepFlops = epoch.FlopsPerStep,
            ExampleRate = seconds > 0 ? epoch.Examples / seconds : double.NaN,
            FlopRate = seconds > 0 ? epoch.TrainingFlops / seconds : double.NaN,
        });
    }

    /// <summary>One checkpoint persisted: its size and how long writing it took.</summary>
    public void RecordCheckpoint(string sweep, int trial, string architecture, long sizeBytes, TimeSpan duration)
    {
        var tags = SweepTags(sweep, architecture);
        _checkpointSize.Record(sizeBytes, tags);
        _checkpointDuration.Record(duration.TotalSeconds, tags);
        if (Activity.Current is { } span && span.Source == ActivitySource && span.OperationName == Spans.Checkpoint)
        {
            span.SetTag(Attributes.Bytes, sizeBytes);
        }
    }

    /// <summary>
    /// A trial entered <paramref name="state"/> (pending, running, completed, failed, canceled...). With
    /// <paramref name="finished"/> its gauges are kept for <see cref="TrialSeriesRetention.Finished"/> and then dropped.
    /// </summary>
    public void TrialStateChanged(string sweep, int trial, string architecture, string state, bool finished = false)
    {
        ArgumentNullException.ThrowIfNull(state);
        var label = state.ToLowerInvariant();
        _transitions.Add(1, [.. SweepTags(sweep, architecture), new(Attributes.State, label)]);

        var key = new TrialKey(sweep, trial);
        Trials.Update(key, old => (old ?? new TrialSnapshot { Architecture = architecture }) with { Architecture = architecture, State = label });
        if (finished)
        {
            Trials.MarkFinished(key);
        }
        else
        {
            Trials.Revive(key);
        }
    }

    /// <summary>A trial started a new run (silo lost, run lost, transient failure) that resumes at <paramref name="fromEpoch"/>.</summary>
    public void TrialRestarted(string sweep, int trial, string architecture, string reason, int fromEpoch = 0)
    {
        _restarts.Add(1, [.. SweepTags(sweep, architecture), new(Attributes.Reason, reason)]);
        Activity.Current?.AddEvent(new ActivityEvent("trial restarted", tags: new ActivityTagsCollection
        {
            [Attributes.Trial] = trial.ToString(CultureInfo.InvariantCulture),
            [Attributes.Reason] = reason,
            [Attributes.StartEpoch] = fromEpoch,
        }));
    }

    /// <summary>The coordinator's view of its sweep: trials per state and the time left (null when unknown).</summary>
    public void SweepProgress(string sweep, IReadOnlyDictionary<string, int> trialsByState, double? etaSeconds, bool finished = false)
    {
        ArgumentNullException.ThrowIfNull(trialsByState);
        var counts = trialsByState.ToDictionary(kv => kv.Key.ToLowerInvariant(), kv => kv.Value, StringComparer.Ordinal);
        Sweeps.Set(sweep, new SweepSnapshot(counts, etaSeconds));
        if (finished)
        {
            Sweeps.MarkFinished(sweep);
        }
    }

    // ---------------------------------------------------------------- observation

    private static KeyValuePair<string, object?>[] SweepTags(string sweep, string architecture) =>
        [new(Attributes.Sweep, sweep), new(Attributes.Architecture, architecture)];

    private static KeyValuePair<string, object?>[] TrialTags(string sweep, int trial, string architecture) =>
        [new(Attributes.Sweep, sweep), new(Attributes.Trial, trial.ToString(CultureInfo.InvariantCulture)), new(Attributes.Architecture, architecture)];

    private IEnumerable<Measurement<long>> ObserveTrialsByState()
    {
        foreach (var (sweep, snapshot) in Sweeps.Snapshot())
        {
            foreach (var (state, count) in snapshot.TrialsByState)
            {
                yield return new Measurement<long>(count, new KeyValuePair<string, object?>(Attributes.Sweep, sweep), new KeyValuePair<string, object?>(Attributes.State, state));
            }
        }
    }

    private IEnumerable<Measurement<double>> ObserveEta()
    {
        foreach (var (sweep, snapshot) in Sweeps.Snapshot())
        {
            if (snapshot.EtaSeconds is { } eta && double.IsFinite(eta))
            {
                yield return new Measurement<double>(eta, new KeyValuePair<string, object?>(Attributes.Sweep, sweep));
            }
        }
    }

    private IEnumerable<Measurement<double>> ObserveTrials(Func<TrialSnapshot, double> value, bool measuredOnly = true)
    {
        foreach (var (key, trial) in Trials.Snapshot())
        {
            if (measuredOnly && !trial.Measured)
            {
                continue;
            }

            var v = value(trial);
            if (!double.IsNaN(v))
            {
                yield return new Measurement<double>(v, TrialTags(key.SweepId, key.Index, trial.Architecture));
            }
        }
    }

    private IEnumerable<Measurement<long>> ObserveWidths()
    {
        foreach (var (key, trial) in Trials.Snapshot())
        {
            for (var i = 0; i < trial.Widths.Count; i++)
            {
                yield return new Measurement<long>(
                    trial.Widths[i],
                    [.. TrialTags(key.SweepId, key.Index, trial.Architecture), new(Attributes.Layer, trial.LayerNames[i])]);
            }
        }
    }

    /// <summary>Ends the product's ActivitySource; the meter ends with the factory that made it.</summary>
    public void Dispose() => ActivitySource.Dispose();
}
