using Sweep.Observability.Tests.Support;
using Xunit;

namespace Sweep.Observability.Tests;

[Collection(SiloCollection.Name)]
public sealed class DashboardQueryTests(SiloFixture silo)
{
    [Fact]
    public async Task Every_metric_in_the_dashboards_queries_is_served_by_a_silo()
    {
        var served = PrometheusText.Parse(await silo.ScrapeAsync()).Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var used = new List<(string Dashboard, string Metric)>();
        foreach (var file in Dashboards.Files)
        {
            var queries = Dashboards.Queries(Dashboards.Load(file));
            Assert.True(queries.Count >= 5, $"{file}: only {queries.Count} queries found");
            used.AddRange(queries.SelectMany(PromQl.MetricNames).Select(m => (file, m)));
        }

        var missing = used.Where(u => !served.Contains(u.Metric)).Select(u => $"{u.Dashboard}: {u.Metric}").Distinct().ToList();
        Assert.True(missing.Count == 0, "Dashboard queries use metrics the silo does not export:\n" + string.Join("\n", missing));

        // The dashboards cover every Sweep metric (histograms through their buckets, sums or counts).
        var usedNames = used.Select(u => u.Metric).ToHashSet();
        foreach (var (otelName, (samples, _)) in ScrapeEndpointTests.PrometheusNames)
        {
            Assert.True(samples.Any(usedNames.Contains), $"No dashboard shows {otelName} ({string.Join(", ", samples)})");
        }
    }

    [Fact]
    public async Task Metric_names_are_extracted_from_promql_and_a_renamed_metric_is_caught()
    {
        Assert.Equal(
            ["sweep_trial_epoch_duration_seconds_bucket"],
            PromQl.MetricNames("histogram_quantile(0.95, sum by (le, architecture) (rate(sweep_trial_epoch_duration_seconds_bucket{sweep=~\"$sweep\"}[$__rate_interval])))"));
        Assert.Equal(
            ["process_memory_usage_bytes", "orleans_runtime_total_physical_memory_megabytes"],
            PromQl.MetricNames("process_memory_usage_bytes{job=\"x\"} > on (job, instance) 0.9 * (orleans_runtime_total_physical_memory_megabytes * 1048576) unless 1e6"));
        Assert.Equal(["sweep_trials"], PromQl.MetricNames("sum by (state) (sweep_trials{sweep=~\"$sweep\", state=\"on (x)\"}) offset 5m"));
        Assert.Equal(["sweep_trial_epochs"], PromQl.MetricNames("label_values(sweep_trial_epochs{sweep=~\"$sweep\"}, trial)"));

        var served = PrometheusText.Parse(await silo.ScrapeAsync()).Select(s => s.Name).ToHashSet();
        Assert.Contains("sweep_trial_training_examples_total", served);
        Assert.DoesNotContain(
            Assert.Single(PromQl.MetricNames("sum(rate(sweep_trial_training_example_total[5m]))")),
            served);
    }
}
