using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Sweep.Grains.Abstractions.Trials;
using Sweep.Grains.Telemetry;
using Sweep.Observability.Tests.Support;
using Xunit;
using static Sweep.Grains.Abstractions.Telemetry.TelemetryNames;

namespace Sweep.Observability.Tests;

public sealed class InstrumentationTests
{
    private static readonly string[] SweepArch = [Attributes.Sweep, Attributes.Architecture];
    private static readonly string[] TrialAttrs = [Attributes.Sweep, Attributes.Trial, Attributes.Architecture];

    /// <summary>Name -> (unit, attribute keys) every Sweep metric must have. A rename or unit change fails here first.</summary>
    private static readonly Dictionary<string, (string? Unit, string[] Attributes)> Expected = new()
    {
        ["sweep.trials"] = ("{trial}", [Attributes.Sweep, Attributes.State]),
        ["sweep.eta"] = ("s", [Attributes.Sweep]),
        ["sweep.trial.transitions"] = ("{transition}", [.. SweepArch, Attributes.State]),
        ["sweep.trial.restarts"] = ("{restart}", [.. SweepArch, Attributes.Reason]),
        ["sweep.trial.epoch.duration"] = ("s", SweepArch),
        ["sweep.trial.training.examples"] = ("{example}", SweepArch),
        ["sweep.trial.training.flops"] = ("{flop}", SweepArch),
        ["sweep.trial.checkpoint.duration"] = ("s", SweepArch),
        ["sweep.trial.checkpoint.size"] = ("By", SweepArch),
        ["sweep.trial.epochs"] = ("{epoch}", TrialAttrs),
        ["sweep.trial.loss"] = (null, TrialAttrs),
        ["sweep.trial.test_error"] = ("1", TrialAttrs),
        ["sweep.trial.layer.width"] = ("{neuron}", [.. TrialAttrs, Attributes.Layer]),
        ["sweep.trial.gates.undecided"] = ("{gate}", TrialAttrs),
        ["sweep.trial.pruned.parameters"] = ("1", TrialAttrs),
        ["sweep.trial.pruned.flops"] = ("1", TrialAttrs),
        ["sweep.trial.step.flops"] = ("{flop}", TrialAttrs),
        ["sweep.trial.training.example_rate"] = ("{example}/s", TrialAttrs),
        ["sweep.trial.training.flop_rate"] = ("{flop}/s", TrialAttrs),
    };

    [Fact]
    public async Task Short_trial_emits_every_metric_with_its_unit_and_attributes()
    {
        var sweep = "metrics-" + Guid.NewGuid().ToString("N")[..8];
        var exported = new List<MetricSnapshot>();
        using var test = new TestTelemetry();
        using (var meters = Sdk.CreateMeterProviderBuilder().AddMeter(Source).AddInMemoryExporter(exported).Build())
        {
            ShortTrial.CoordinatorProgress(test.Telemetry, sweep, trials: 1, done: false);
            await ShortTrial.RunAsync(test.Telemetry, sweep, trial: 0, epochs: 3);
            meters.ForceFlush();
        }

        var ours = exported
            .Select(m => (m.Name, m.Unit, Points: m.MetricPoints.Where(p => Tags(p).GetValueOrDefault(Attributes.Sweep) as string == sweep).ToList()))
            .Where(m => m.Points.Count > 0)
            .GroupBy(m => m.Name)
            .ToDictionary(g => g.Key, g => g.Last());

        Assert.Equal(Expected.Keys.Order(), ours.Keys.Order());
        Assert.Equal(Metrics.All.Order(), Expected.Keys.Order());
        foreach (var (name, (unit, attributes)) in Expected)
        {
            var metric = ours[name];
            Assert.True(string.IsNullOrEmpty(unit) ? string.IsNullOrEmpty(metric.Unit) : metric.Unit == unit, $"{name}: unit '{metric.Unit}', expected '{unit}'");
            foreach (var point in metric.Points)
            {
                Assert.Equal(attributes.Order(), Tags(point).Keys.Order());
            }
        }

        // Values a dashboard relies on: the last epoch's widths per layer, throughput, the count of epochs.
        var widths = ours["sweep.trial.layer.width"].Points.ToDictionary(p => (string)Tags(p)[Attributes.Layer]!, p => p.GetGaugeLastValueLong());
        Assert.Equal(new Dictionary<string, long> { ["fc1"] = 102, ["fc2"] = 51 }, widths);
        Assert.Equal(60_000 / 2.5, ours["sweep.trial.training.example_rate"].Points.Single().GetGaugeLastValueDouble(), 6);
        Assert.Equal(3, ours["sweep.trial.epoch.duration"].Points.Single().GetHistogramCount());
        Assert.Equal(3 * 60_000, ours["sweep.trial.training.examples"].Points.Single().GetSumLong());
        var states = ours["sweep.trial.transitions"].Points.Select(p => (string)Tags(p)[Attributes.State]!).Order();
        Assert.Equal(["completed", "running"], states);
    }

    [Fact]
    public async Task Trace_goes_from_launch_through_trial_and_epoch_to_checkpoint_across_threads()
    {
        var sweep = "trace-" + Guid.NewGuid().ToString("N")[..8];
        var spans = new List<Activity>();
        using var test = new TestTelemetry();
        using (var tracer = Sdk.CreateTracerProviderBuilder().AddSource(Source).AddInMemoryExporter(spans).Build())
        {
            string traceparent;
            using (var launch = LaunchSpan.Start(sweep, trials: 1))
            {
                Assert.NotNull(launch);

                // What crosses the wire: the W3C traceparent Orleans carries in the request context.
                traceparent = launch.Id!;
            }

            // The grain side starts with no ambient span and only the propagated context.
            Activity.Current = null;
            Assert.True(ActivityContext.TryParse(traceparent, null, out var remote));
            await ShortTrial.RunAsync(test.Telemetry, sweep, trial: 0, epochs: 2, parent: remote);
            tracer.ForceFlush();
        }

        var mine = spans.Where(s => (s.GetTagItem(Attributes.Sweep) as string) == sweep).ToList();
        var root = Assert.Single(mine, s => s.OperationName == Spans.Launch);
        var trial = Assert.Single(mine, s => s.OperationName == Spans.Trial);
        var epochs = mine.Where(s => s.OperationName == Spans.Epoch).OrderBy(s => (int)s.GetTagItem(Attributes.Epoch)!).ToList();
        var checkpoints = mine.Where(s => s.OperationName == Spans.Checkpoint).ToList();

        Assert.All(mine, s => Assert.Equal(root.TraceId, s.TraceId));
        Assert.Equal(default, root.ParentSpanId);
        Assert.Equal(root.SpanId, trial.ParentSpanId);
        Assert.Equal(2, epochs.Count);
        Assert.All(epochs, e => Assert.Equal(trial.SpanId, e.ParentSpanId));
        Assert.Equal(2, checkpoints.Count);
        foreach (var checkpoint in checkpoints)
        {
            var epoch = Assert.Single(epochs, e => e.SpanId == checkpoint.ParentSpanId);
            Assert.Equal(epoch.GetTagItem(Attributes.Epoch), checkpoint.GetTagItem(Attributes.Epoch));
            Assert.Equal(1_200_000L, checkpoint.GetTagItem(Attributes.Bytes));
        }

        Assert.Equal("0", trial.GetTagItem(Attributes.Trial));
        Assert.Equal(ShortTrial.Architecture, trial.GetTagItem(Attributes.Architecture));
        Assert.Contains(epochs[0].Events, e => e.Name == "trial restarted");   // recorded on the span current at the restart
    }

    [Fact]
    public async Task Finished_trials_leave_the_gauges_after_the_retention()
    {
        var sweep = "retention-" + Guid.NewGuid().ToString("N")[..8];
        var exported = new List<MetricSnapshot>();
        using var test = new TestTelemetry(new TrialSeriesRetention { Finished = TimeSpan.FromMilliseconds(200) });
        var telemetry = test.Telemetry;
        using var meters = Sdk.CreateMeterProviderBuilder().AddMeter(Source).AddInMemoryExporter(exported).Build();
        ShortTrial.CoordinatorProgress(telemetry, sweep, trials: 1, done: false);
        await ShortTrial.RunAsync(telemetry, sweep, trial: 7, epochs: 1);   // ends in a finished state
        ShortTrial.CoordinatorProgress(telemetry, sweep, trials: 1, done: true);

        meters.ForceFlush();
        Assert.Contains(Metrics.Loss, GaugesReporting(exported, sweep));
        Assert.Contains(Metrics.Trials, GaugesReporting(exported, sweep));

        await Task.Delay(400);
        exported.Clear();
        meters.ForceFlush();
        var left = GaugesReporting(exported, sweep);
        Assert.DoesNotContain(Metrics.Loss, left);
        Assert.DoesNotContain(Metrics.LayerWidth, left);
        Assert.DoesNotContain(Metrics.Trials, left);

        // Counters and histograms keep their (sweep, architecture) series: cumulative and bounded.
        Assert.Contains(Metrics.EpochDuration, left);
        Assert.False(telemetry.Trials.TryGet(new TrialKey(sweep, 7), out _));
    }

    [Fact]
    public void Latest_values_expire_when_finished_stale_or_over_the_cap()
    {
        var time = new ManualTime();
        var values = new LatestValues<int, string>(time) { Retention = new TrialSeriesRetention { Finished = TimeSpan.FromMinutes(5), Stale = TimeSpan.FromHours(1), MaxTrials = 3 } };
        values.Set(1, "a");
        values.Set(2, "b");
        values.MarkFinished(1);
        time.Advance(TimeSpan.FromMinutes(4));
        values.Update(1, v => v + "!");                 // a late report does not revive a finished trial
        Assert.Equal([1, 2], values.Snapshot().Select(kv => kv.Key).Order());
        time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal([2], values.Snapshot().Select(kv => kv.Key));

        time.Advance(TimeSpan.FromMinutes(55));          // 2 was last updated 61 minutes ago
        Assert.Empty(values.Snapshot());

        values.Set(10, "x");
        time.Advance(TimeSpan.FromSeconds(1));
        values.Set(11, "y");
        values.MarkFinished(11);
        values.Set(12, "z");
        values.Set(13, "w");                            // over the cap: the finished one goes first
        Assert.Equal([10, 12, 13], values.Snapshot().Select(kv => kv.Key).Order());
        values.Set(14, "v");                            // then the least recently updated
        Assert.Equal([12, 13, 14], values.Snapshot().Select(kv => kv.Key).Order());
    }

    private static HashSet<string> GaugesReporting(IEnumerable<MetricSnapshot> exported, string sweep) =>
        exported.Where(m => m.MetricPoints.Any(p => Tags(p).GetValueOrDefault(Attributes.Sweep) as string == sweep))
            .Select(m => m.Name)
            .ToHashSet();

    private static Dictionary<string, object?> Tags(MetricPoint point)
    {
        var tags = new Dictionary<string, object?>();
        foreach (var tag in point.Tags)
        {
            tags[tag.Key] = tag.Value;
        }

        return tags;
    }

    private sealed class ManualTime : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
