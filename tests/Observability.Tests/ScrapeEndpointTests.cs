using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Sweep.Grains.Abstractions.Telemetry;
using Sweep.Grains.Telemetry;
using Sweep.Observability.Tests.Support;
using Sweep.Silo.Telemetry;
using Xunit;

namespace Sweep.Observability.Tests;

[Collection(SiloCollection.Name)]
public sealed class ScrapeEndpointTests(SiloFixture silo)
{
    /// <summary>OpenTelemetry name -> Prometheus sample names it must produce, and the labels each sample carries.</summary>
    public static readonly Dictionary<string, (string[] Samples, string[] Labels)> PrometheusNames = new()
    {
        ["sweep.trials"] = (["sweep_trials"], ["sweep", "state"]),
        ["sweep.eta"] = (["sweep_eta_seconds"], ["sweep"]),
        ["sweep.trial.transitions"] = (["sweep_trial_transitions_total"], ["sweep", "architecture", "state"]),
        ["sweep.trial.restarts"] = (["sweep_trial_restarts_total"], ["sweep", "architecture", "reason"]),
        ["sweep.trial.epoch.duration"] = (Histogram("sweep_trial_epoch_duration_seconds"), ["sweep", "architecture"]),
        ["sweep.trial.training.examples"] = (["sweep_trial_training_examples_total"], ["sweep", "architecture"]),
        ["sweep.trial.training.flops"] = (["sweep_trial_training_flops_total"], ["sweep", "architecture"]),
        ["sweep.trial.checkpoint.duration"] = (Histogram("sweep_trial_checkpoint_duration_seconds"), ["sweep", "architecture"]),
        ["sweep.trial.checkpoint.size"] = (Histogram("sweep_trial_checkpoint_size_bytes"), ["sweep", "architecture"]),
        ["sweep.trial.epochs"] = (["sweep_trial_epochs"], ["sweep", "trial", "architecture"]),
        ["sweep.trial.loss"] = (["sweep_trial_loss"], ["sweep", "trial", "architecture"]),
        ["sweep.trial.test_error"] = (["sweep_trial_test_error"], ["sweep", "trial", "architecture"]),
        ["sweep.trial.layer.width"] = (["sweep_trial_layer_width"], ["sweep", "trial", "architecture", "layer"]),
        ["sweep.trial.gates.undecided"] = (["sweep_trial_gates_undecided"], ["sweep", "trial", "architecture"]),
        ["sweep.trial.pruned.parameters"] = (["sweep_trial_pruned_parameters"], ["sweep", "trial", "architecture"]),
        ["sweep.trial.pruned.flops"] = (["sweep_trial_pruned_flops"], ["sweep", "trial", "architecture"]),
        ["sweep.trial.step.flops"] = (["sweep_trial_step_flops"], ["sweep", "trial", "architecture"]),
        ["sweep.trial.training.example_rate"] = (["sweep_trial_training_example_rate_per_second"], ["sweep", "trial", "architecture"]),
        ["sweep.trial.training.flop_rate"] = (["sweep_trial_training_flop_rate_per_second"], ["sweep", "trial", "architecture"]),
    };

    [Fact]
    public async Task Silo_serves_every_sweep_metric_over_http_with_its_labels()
    {
        var text = await silo.ScrapeAsync();
        var samples = PrometheusText.Parse(text).Where(s => s.Labels.GetValueOrDefault("sweep") == SiloFixture.SweepId).ToList();

        Assert.Equal(TelemetryNames.Metrics.All.Order(), PrometheusNames.Keys.Order());
        foreach (var (otelName, (names, labels)) in PrometheusNames)
        {
            foreach (var name in names)
            {
                var series = samples.Where(s => s.Name == name).ToList();
                Assert.True(series.Count > 0, $"{otelName}: no {name} series for sweep {SiloFixture.SweepId} in the scrape");
                foreach (var sample in series)
                {
                    var own = sample.Labels.Keys.Where(k => !k.StartsWith("otel_scope_", StringComparison.Ordinal) && k != "le");
                    Assert.Equal(labels.Order(), own.Order());
                }
            }
        }

        var widths = samples.Where(s => s.Name == "sweep_trial_layer_width").ToDictionary(s => s.Labels["layer"], s => s.Value);
        Assert.Equal(new Dictionary<string, double> { ["fc1"] = 147, ["fc2"] = 64 }, widths);
    }

    [Fact]
    public async Task Silo_serves_orleans_runtime_and_process_metrics()
    {
        var names = PrometheusText.Parse(await silo.ScrapeAsync()).Select(s => s.Name).ToHashSet();
        Assert.Contains("orleans_catalog_activations", names);
        Assert.Contains("orleans_directory_ring_size", names);
        Assert.Contains("dotnet_gc_collections_total", names);
        Assert.Contains("process_cpu_time_seconds_total", names);
        Assert.Contains("process_memory_usage_bytes", names);
        Assert.Contains("target_info", names);
    }

    [Fact]
    public void Scrape_endpoint_defaults_to_loopback_and_the_silo_does_not_answer_on_other_interfaces()
    {
        Assert.Equal("localhost", new TelemetryOptions().Prometheus.Host);
        foreach (var address in ExternalAddresses())
        {
            using var client = new TcpClient();
            var error = Assert.ThrowsAny<SocketException>(() => client.Connect(address, silo.MetricsPort));
            Assert.Equal(SocketError.ConnectionRefused, error.SocketErrorCode);
        }

        using var loopback = new TcpClient();
        loopback.Connect(IPAddress.Loopback, silo.MetricsPort);
    }

    [Fact]
    public async Task Host_star_serves_the_endpoint_on_every_interface_as_containers_need()
    {
        var port = FreePort.Next();
        using var host = TelemetryHost(new Dictionary<string, string?>
        {
            ["Telemetry:Prometheus:Host"] = "*",
            ["Telemetry:Prometheus:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        await host.StartAsync();
        Assert.Null(host.Services.GetRequiredService<TelemetryEndpointStatus>().Error);

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        foreach (var address in ExternalAddresses().Append(IPAddress.Loopback))
        {
            var text = await http.GetStringAsync($"http://{address}:{port}/metrics");
            Assert.Contains("target_info", text);
        }

        await host.StopAsync();
    }

    [Fact]
    public async Task The_endpoint_is_held_from_configuration_to_the_exporter_so_no_process_takes_it_between()
    {
        var port = FreePort.Next();
        using var host = TelemetryHost(new Dictionary<string, string?>
        {
            ["Telemetry:Prometheus:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });

        // What a second silo starting at the same moment would do: bind the port before this host starts.
        var other = new TcpListener(IPAddress.Loopback, port);
        var taken = Record.Exception(other.Start);
        other.Stop();
        Assert.True(taken is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse },
            $"port {port} was free between configuration and start (another process took it: {taken?.Message ?? "no error"})");

        await host.StartAsync();
        Assert.Null(host.Services.GetRequiredService<TelemetryEndpointStatus>().Error);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        Assert.Contains("target_info", await http.GetStringAsync($"http://localhost:{port}/metrics"));
        await host.StopAsync();
    }

    [Fact]
    public async Task The_default_loopback_binding_answers_by_name_and_by_ip()
    {
        var port = FreePort.Next();
        using var host = TelemetryHost(new Dictionary<string, string?>
        {
            ["Telemetry:Prometheus:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        await host.StartAsync();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        // A Prometheus target of 127.0.0.1:PORT sends "Host: 127.0.0.1:PORT"; HttpListener answered 404 to it.
        Assert.Contains("target_info", await http.GetStringAsync($"http://127.0.0.1:{port}/metrics"));
        Assert.Contains("target_info", await http.GetStringAsync($"http://localhost:{port}/metrics"));
        await host.StopAsync();
    }

    [Fact]
    public async Task A_second_host_on_a_taken_port_runs_without_its_endpoint_and_says_why()
    {
        using var host = TelemetryHost(new Dictionary<string, string?>
        {
            ["Telemetry:Prometheus:Port"] = silo.MetricsPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        await host.StartAsync();

        var status = host.Services.GetRequiredService<TelemetryEndpointStatus>();
        Assert.Equal($"http://localhost:{silo.MetricsPort}/metrics", status.Url);
        Assert.False(string.IsNullOrEmpty(status.Error));
        Assert.Contains("sweep_trial_loss", await silo.ScrapeAsync());   // the first owner keeps serving
        await host.StopAsync();
    }

    [Fact]
    public async Task Launch_span_is_the_ancestor_of_the_trial_span_through_an_orleans_grain_call()
    {
        var launch = Assert.IsType<System.Diagnostics.Activity>(silo.Launch, exactMatch: false);
        var spans = silo.Spans.Where(s => s.TraceId == launch.TraceId).ToDictionary(s => s.SpanId);
        var trial = Assert.Single(spans.Values, s => s.OperationName == TelemetryNames.Spans.Trial);

        var chain = new List<string>();
        for (var span = trial; span is not null; span = spans.GetValueOrDefault(span.ParentSpanId))
        {
            chain.Add($"{span.Source.Name}:{span.OperationName}");
            if (span.SpanId == launch.SpanId)
            {
                break;
            }
        }

        Assert.Equal($"{TelemetryNames.Source}:{TelemetryNames.Spans.Launch}", chain[^1]);
        Assert.Contains(chain, link => link.StartsWith("Microsoft.Orleans.Application:", StringComparison.Ordinal));
        Assert.Equal(2, spans.Values.Count(s => s.OperationName == TelemetryNames.Spans.Epoch && s.ParentSpanId == trial.SpanId));
    }

    [Fact]
    public async Task Otlp_export_starts_when_OTEL_EXPORTER_OTLP_ENDPOINT_is_set()
    {
        var port = FreePort.Next();
        using var receiver = new HttpListener();
        receiver.Prefixes.Add($"http://localhost:{port}/");
        receiver.Start();
        var paths = new List<string>();
        // Ended by a token, not by Stop(): Stop() racing a fresh GetContextAsync can leave it pending forever
        // (it hung one full-suite run in ten).
        using var stop = new CancellationTokenSource();
        var receiving = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                HttpListenerContext context;
                try
                {
                    context = await receiver.GetContextAsync().WaitAsync(stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                lock (paths)
                {
                    paths.Add(context.Request.Url!.AbsolutePath);
                }

                try
                {
                    context.Response.StatusCode = 200;
                    context.Response.Close();
                }
                catch (HttpListenerException)
                {
                    // The exporter gave up on this request (its timeout); the path is recorded already.
                }
            }
        });

        using (var host = TelemetryHost(new Dictionary<string, string?>
        {
            ["Telemetry:Prometheus:Enabled"] = "false",
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://localhost:{port}",
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "200",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
        }))
        {
            await host.StartAsync();
            using (LaunchSpan.Start("otlp", trials: 0))
            {
                host.Services.GetRequiredService<SweepTelemetry>().TrialRestarted("otlp", 0, "mlp", "test");
            }

            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (DateTime.UtcNow < deadline && !Seen(paths, "/v1/metrics", "/v1/traces"))
            {
                await Task.Delay(100);
            }

            await host.StopAsync();
        }

        await stop.CancelAsync();
        await receiving;
        receiver.Stop();
        Assert.True(Seen(paths, "/v1/metrics", "/v1/traces"), $"OTLP requests received: {string.Join(", ", paths)}");
    }

    /// <summary>A host with Sweep's telemetry only, configured by <paramref name="settings"/> (not started).</summary>
    private static IHost TelemetryHost(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSweepTelemetry(builder.Configuration);
        return builder.Build();
    }

    private static bool Seen(List<string> paths, params string[] expected)
    {
        lock (paths)
        {
            return expected.All(paths.Contains);
        }
    }

    private static List<IPAddress> ExternalAddresses() => NetworkInterface.GetAllNetworkInterfaces()
        .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
        .SelectMany(n => n.GetIPProperties().UnicastAddresses)
        .Select(a => a.Address)
        .Where(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
        .ToList();

    private static string[] Histogram(string name) => [name + "_bucket", name + "_sum", name + "_count"];
}
