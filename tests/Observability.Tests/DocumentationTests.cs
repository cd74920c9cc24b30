using Sweep.Grains.Abstractions.Telemetry;
using Sweep.Observability.Tests.Support;
using Xunit;

namespace Sweep.Observability.Tests;

public sealed class DocumentationTests
{
    [Fact]
    public void Metrics_doc_lists_every_metric_by_its_opentelemetry_and_prometheus_names()
    {
        var doc = File.ReadAllText(RepoPaths.Of("docs", "METRICS.md"));
        foreach (var (otelName, (samples, _)) in ScrapeEndpointTests.PrometheusNames)
        {
            Assert.Contains($"`{otelName}`", doc);
            var family = samples[0].EndsWith("_bucket", StringComparison.Ordinal) ? samples[0][..^"_bucket".Length] + "_{bucket,sum,count}" : samples[0];
            Assert.Contains($"`{family}`", doc);
        }

        Assert.Equal(TelemetryNames.Metrics.All.Order(), ScrapeEndpointTests.PrometheusNames.Keys.Order());
    }

    [Fact]
    public void Operations_doc_explains_every_alert_and_every_telemetry_key()
    {
        var doc = File.ReadAllText(RepoPaths.Of("docs", "OPERATIONS.md"));
        var alerts = Yaml.Load(RepoPaths.Of("deploy", "prometheus", "alerts.yml"))
            .Seq("groups").SelectMany(g => g.Seq("rules")).Select(r => r.Text("alert")!).ToList();
        Assert.NotEmpty(alerts);
        Assert.All(alerts, alert => Assert.Contains($"| `{alert}` |", doc));

        var keys = typeof(Sweep.Silo.Telemetry.TelemetryOptions).GetProperties().Where(p => p.PropertyType != typeof(Sweep.Silo.Telemetry.PrometheusEndpointOptions)).Select(p => "Telemetry:" + p.Name)
            .Concat(typeof(Sweep.Silo.Telemetry.PrometheusEndpointOptions).GetProperties().Select(p => "Telemetry:Prometheus:" + p.Name));
        Assert.All(keys, key => Assert.Contains($"`{key}`", doc));
    }
}
