using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Trace;
using Orleans;
using Orleans.Hosting;
using Sweep.Grains.Telemetry;
using Sweep.Silo.Telemetry;
using Xunit;

namespace Sweep.Observability.Tests.Support;

/// <summary>
/// A real Orleans silo (localhost clustering, free ports) with AddSweepTelemetry serving Prometheus on a free
/// loopback port; a short trial has run in it under a launch span, so Sweep's metrics exist.
/// </summary>
public sealed class SiloFixture : IAsyncLifetime
{
    public const string SweepId = "silo-fixture";

    private IHost? _host;

    public int MetricsPort { get; } = FreePort.Next();

    public Uri MetricsUri => new($"http://localhost:{MetricsPort}/metrics");

    public List<Activity> Spans { get; } = [];

    public Activity? Launch { get; private set; }

    public IGrainFactory Grains => _host!.Services.GetRequiredService<IGrainFactory>();

    public async Task InitializeAsync()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Telemetry:Prometheus:Host"] = "localhost",
            ["Telemetry:Prometheus:Port"] = MetricsPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Telemetry:ServiceName"] = "sweep-silo-test",
        });
        builder.UseOrleans(silo => silo
            .UseLocalhostClustering(FreePort.Next(), FreePort.Next(), serviceId: "sweep-obs-tests", clusterId: "sweep-obs-tests-" + Environment.ProcessId)
            .AddSweepTelemetry(builder.Configuration, configureTracing: tracing => tracing.AddInMemoryExporter(Spans)));
        _host = builder.Build();
        await _host.StartAsync();

        ShortTrial.CoordinatorProgress(_host.Services.GetRequiredService<SweepTelemetry>(), SweepId, trials: 1, done: false);
        using (Launch = LaunchSpan.Start(SweepId, trials: 1))
        {
            await Grains.GetGrain<IProbeGrain>(SweepId).RunTrial(trial: 0, epochs: 2);
        }
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync();
            _host.Dispose();
        }
    }

    public async Task<string> ScrapeAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        return await http.GetStringAsync(MetricsUri);
    }
}

[CollectionDefinition(Name)]
public sealed class SiloCollection : ICollectionFixture<SiloFixture>
{
    public const string Name = "silo";
}
