using Sweep.Tests.Shared;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Trace;
using Orleans;
using Sweep.Grains.Abstractions.Specs;
using Sweep.Grains.Abstractions.Sweeps;
using Sweep.Observability.Tests.Support;
using Sweep.Silo.Hosting;
using Sweep.Silo.Telemetry;
using Xunit;
using Names = Sweep.Grains.Abstractions.Telemetry.TelemetryNames;

namespace Sweep.Observability.Tests;

/// <summary>
/// The whole path: a silo configured like the real one (embedded mode, the real grains, AddSweepTelemetry) runs a
/// tiny real sweep (src/Pruning training on generated IDX data) launched under a client-style launch span; its
/// scrape endpoint then serves the training metrics, and the trace goes launch -> ... -> trial -> epoch -> checkpoint.
/// </summary>
public sealed class LiveSweepTelemetryTests : IAsyncLifetime
{
    private const string Architecture = "lenet300-100";
    private const int Trials = 2;
    private const int Epochs = 2;

    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("sweep-obs-live-");
    private readonly int _metricsPort = FreePort.Next();
    private readonly List<Activity> _spans = [];
    private IHost? _host;

    public async Task InitializeAsync()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Sweep:Mode"] = "Embedded",
            ["Sweep:ClusterId"] = "sweep-obs-live-" + Environment.ProcessId,
            ["Sweep:ServiceId"] = "sweep-obs-live",
            ["Sweep:Endpoints:SiloPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["Sweep:Endpoints:GatewayPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["Sweep:Embedded:StateDirectory"] = Path.Combine(_work.FullName, "state"),
            ["Sweep:TrialRunner:Slots"] = Trials.ToString(CultureInfo.InvariantCulture),
            ["Sweep:Coordinator:WatchdogPeriod"] = "00:00:01",
            ["Telemetry:Prometheus:Host"] = "localhost",
            ["Telemetry:Prometheus:Port"] = _metricsPort.ToString(CultureInfo.InvariantCulture),
            ["Telemetry:ServiceName"] = "sweep-silo-live-test",
        });
        builder.UseOrleans(silo => silo
            .ConfigureSweepSilo()
            .AddSweepTelemetry(builder.Configuration, configureTracing: tracing => tracing.AddInMemoryExporter(_spans)));
        _host = builder.Build();
        await _host.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync();
            _host.Dispose();
        }

        _work.Delete(recursive: true);
    }

    [Fact]
    public async Task Real_sweep_exports_training_metrics_and_the_trial_epoch_checkpoint_trace()
    {
        var sweepId = "live-" + Guid.NewGuid().ToString("N")[..8];
        var data = IdxFiles.Write(Path.Combine(_work.FullName, "data"), train: 400, test: 100);
        var spec = SweepSpecParser.Parse($$"""
            name: live-telemetry
            architecture: {{Architecture}}
            dataset: {{data}}
            epochs: {{Epochs}}
            batch-size: 50
            options: { train-limit: 400, cost: 0.01, sigma1: 1 }
            grids:
              seeds: { seed: [1, 2], width: [0.1] }
            """).Spec;

        // What the CLI does: its own ActivitySource("Sweep"), the launch span around the grain call.
        var grains = _host!.Services.GetRequiredService<IGrainFactory>();
        using var client = new ActivitySource(Names.Source);
        Activity? launch;
        using (launch = client.StartActivity(Names.Spans.Launch))
        {
            Assert.NotNull(launch);
            launch.SetTag(Names.Attributes.Sweep, sweepId);
            await grains.GetGrain<ISweepGrain>(sweepId).Launch(spec);
        }

        var status = await WaitForAsync(grains.GetGrain<ISweepGrain>(sweepId), TimeSpan.FromSeconds(25));
        Assert.Equal(SweepState.Completed, status.State);
        Assert.Equal(Trials, status.Counts.Completed);

        // Metrics: the scrape endpoint serves the training metrics with the sweep, trial, architecture and layer labels.
        string text;
        using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) })
        {
            text = await http.GetStringAsync(new Uri($"http://localhost:{_metricsPort}/metrics"));
        }

        var samples = PrometheusText.Parse(text).Where(s => s.Labels.GetValueOrDefault(Names.Attributes.Sweep) == sweepId).ToList();
        IReadOnlyList<PrometheusSample> Series(string name) => samples.Where(s => s.Name == name).ToList();
        string[] trialIds = [.. Enumerable.Range(0, Trials).Select(i => i.ToString(CultureInfo.InvariantCulture))];

        foreach (var perTrial in new[] { "sweep_trial_epochs", "sweep_trial_loss", "sweep_trial_test_error", "sweep_trial_gates_undecided", "sweep_trial_step_flops", "sweep_trial_training_example_rate_per_second", "sweep_trial_pruned_parameters", "sweep_trial_pruned_flops" })
        {
            var series = Series(perTrial);
            Assert.True(series.Count == Trials, $"{perTrial}: {series.Count} series, expected one per trial");
            Assert.Equal(trialIds, series.Select(s => s.Labels[Names.Attributes.Trial]).Order());
            Assert.All(series, s => Assert.Equal(Architecture, s.Labels[Names.Attributes.Architecture]));
        }

        Assert.All(Series("sweep_trial_epochs"), s => Assert.Equal(Epochs, s.Value));
        Assert.All(Series("sweep_trial_loss"), s => Assert.True(double.IsFinite(s.Value) && s.Value > 0, $"loss {s.Value}"));
        Assert.All(Series("sweep_trial_pruned_parameters"), s => Assert.InRange(s.Value, 0, 1));
        Assert.All(Series("sweep_trial_pruned_flops"), s => Assert.InRange(s.Value, 0, 1));

        // Width 0.1 of LeNet-300-100: fc1 starts at 30 neurons, fc2 at 10; pruning only shrinks them.
        var widths = Series("sweep_trial_layer_width");
        Assert.Equal(Trials * 2, widths.Count);
        foreach (var (layer, start) in new[] { ("fc1", 30), ("fc2", 10) })
        {
            var layerWidths = widths.Where(s => s.Labels[Names.Attributes.Layer] == layer).ToList();
            Assert.Equal(trialIds, layerWidths.Select(s => s.Labels[Names.Attributes.Trial]).Order());
            Assert.All(layerWidths, s => Assert.InRange(s.Value, 0, start));
        }

        // Histograms and counters per (sweep, architecture): every epoch and every checkpoint of both trials.
        Assert.Equal(Trials * Epochs, Single("sweep_trial_epoch_duration_seconds_count").Value);
        Assert.Equal(Trials * Epochs, Single("sweep_trial_checkpoint_size_bytes_count").Value);
        Assert.Equal(Trials * Epochs, Single("sweep_trial_checkpoint_duration_seconds_count").Value);
        Assert.True(Single("sweep_trial_checkpoint_size_bytes_sum").Value > 0);
        Assert.Equal(Trials * Epochs * 400, Single("sweep_trial_training_examples_total").Value);
        Assert.True(Single("sweep_trial_training_flops_total").Value > 0);
        Assert.Equal(Trials, samples.Single(s => s.Name == "sweep_trial_transitions_total" && s.Labels[Names.Attributes.State] == "completed").Value);

        // The coordinator's view.
        Assert.Equal(Trials, samples.Single(s => s.Name == "sweep_trials" && s.Labels[Names.Attributes.State] == "completed").Value);

        // Trace: launch (client) -> Orleans' grain-call spans -> trial -> epoch -> checkpoint, one trace.
        var spans = _spans.ToList();
        var byId = spans.ToDictionary(s => s.SpanId);
        var trialSpans = spans.Where(s => s.OperationName == Names.Spans.Trial && (string?)s.GetTagItem(Names.Attributes.Sweep) == sweepId).ToList();
        Assert.Equal(trialIds, trialSpans.Select(s => (string)s.GetTagItem(Names.Attributes.Trial)!).Order());
        foreach (var trial in trialSpans)
        {
            Assert.Equal(launch.TraceId, trial.TraceId);
            Assert.True(Ancestors(trial, byId).Any(a => a.SpanId == launch.SpanId), "the trial span descends from the launch span");
            Assert.Equal(Architecture, trial.GetTagItem(Names.Attributes.Architecture));

            var epochs = spans.Where(s => s.OperationName == Names.Spans.Epoch && s.ParentSpanId == trial.SpanId).ToList();
            Assert.Equal([1, 2], epochs.Select(e => (int)e.GetTagItem(Names.Attributes.Epoch)!).Order());
            foreach (var epoch in epochs)
            {
                Assert.True(epoch.StartTimeUtc >= trial.StartTimeUtc, "an epoch starts within its trial");
                var checkpoint = Assert.Single(spans, s => s.OperationName == Names.Spans.Checkpoint && s.ParentSpanId == epoch.SpanId);
                Assert.Equal(epoch.GetTagItem(Names.Attributes.Epoch), checkpoint.GetTagItem(Names.Attributes.Epoch));
                Assert.True((long)checkpoint.GetTagItem(Names.Attributes.Bytes)! > 0);
                Assert.True(checkpoint.StartTimeUtc >= epoch.StartTimeUtc && checkpoint.StartTimeUtc + checkpoint.Duration <= epoch.StartTimeUtc + epoch.Duration,
                    "the checkpoint lies within its epoch span");
            }
        }

        PrometheusSample Single(string name) => Assert.Single(samples, s => s.Name == name && s.Labels.GetValueOrDefault(Names.Attributes.Architecture) == Architecture);
    }

    private static async Task<SweepStatus> WaitForAsync(ISweepGrain sweep, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var status = await sweep.GetStatus();
            if (status.State != SweepState.Running || clock.Elapsed > timeout)
            {
                return status;
            }

            await Task.Delay(200);
        }
    }

    private static IEnumerable<Activity> Ancestors(Activity span, Dictionary<ActivitySpanId, Activity> byId)
    {
        var current = span;
        while (current.ParentSpanId != default && byId.TryGetValue(current.ParentSpanId, out var parent))
        {
            yield return parent;
            current = parent;
        }
    }
}
