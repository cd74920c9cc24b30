using System.Text.Json;
using Sweep.Observability.Tests.Support;
using Xunit;

namespace Sweep.Observability.Tests;

[Collection(SiloCollection.Name)]
public sealed class PrometheusTests(SiloFixture silo)
{
    [Fact]
    public async Task Debian_prometheus_scrapes_the_silo_and_runs_every_dashboard_query()
    {
        // By address, as most Prometheus configurations name a target: the silo's default loopback binding must answer it.
        await using var prometheus = await PrometheusServer.StartAsync($"127.0.0.1:{silo.MetricsPort}");

        var loss = await prometheus.WaitForSeriesAsync($"sweep_trial_loss{{sweep=\"{SiloFixture.SweepId}\"}}", TimeSpan.FromSeconds(60));
        var series = loss.GetProperty("result")[0];
        Assert.Equal("sweep-silo", series.GetProperty("metric").GetProperty("job").GetString());
        Assert.Equal("0", series.GetProperty("metric").GetProperty("trial").GetString());
        await prometheus.WaitForSeriesAsync("up{job=\"sweep-silo\"} == 1", TimeSpan.FromSeconds(10));

        // Every panel and variable query is valid PromQL for this Prometheus.
        foreach (var file in Dashboards.Files)
        {
            foreach (var query in Dashboards.Queries(Dashboards.Load(file)).Where(q => !q.TrimStart().StartsWith("label_values", StringComparison.Ordinal)))
            {
                var data = await prometheus.QueryAsync(Dashboards.Instantiate(query));
                Assert.True(data.ValueKind == JsonValueKind.Object, $"{file}: {query}");
            }
        }

        // And the queries return data once a couple of scrapes are in (the rate() ones need two).
        await prometheus.WaitForSeriesAsync(
            Dashboards.Instantiate("sum by (sweep) (rate(sweep_trial_training_examples_total{sweep=~\"$sweep\"}[$__rate_interval]))"),
            TimeSpan.FromSeconds(30));
        await prometheus.WaitForSeriesAsync("count(target_info{job=\"sweep-silo\"})", TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Promtool_accepts_the_deploy_prometheus_config_and_its_alert_rules_pass_their_tests()
    {
        var check = await PrometheusTools.RunPromtoolAsync("check", "config", RepoPaths.Of("deploy", "prometheus", "prometheus.yml"));
        Assert.True(check.ExitCode == 0, check.Output);
        Assert.Contains("rules found", check.Output);

        var rules = await PrometheusTools.RunPromtoolAsync("test", "rules", RepoPaths.Of("deploy", "prometheus", "alerts.test.yml"));
        Assert.True(rules.ExitCode == 0, rules.Output);
    }
}
