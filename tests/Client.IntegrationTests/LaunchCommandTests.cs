using Sweep.Client.Commands;
using Sweep.Client.Exports;
using Sweep.Client.Output;
using Sweep.Grains.Abstractions.Sweeps;
using Sweep.Grains.Abstractions.Trials;

namespace Sweep.Client.IntegrationTests;

[Collection(ClientClusterCollection.Name)]
public sealed class LaunchCommandTests(ClientClusterFixture fixture)
{
    [Fact]
    public async Task Launch_prints_the_id_and_the_sweep_runs()
    {
        var spec = Specs.Write("launch-plain", "  g: { seed: [1, 2] }");

        var run = await CliRun.RunAsync(fixture.Environment, "launch", spec);

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        var id = run.Out.Trim();
        Assert.StartsWith("launch-plain-", id);
        Assert.Contains("2 trials", run.Error);
        var status = await fixture.Client.GetGrain<ISweepGrain>(id).GetStatus();
        Assert.Equal(2, status.Counts.Total);
    }

    [Fact]
    public async Task Launch_wait_follows_to_the_end_and_prints_the_robustness_table()
    {
        var spec = Specs.Write("launch-wait", Specs.QuickGrids);

        var run = await CliRun.RunAsync(fixture.Environment, "launch", spec, "--wait", "--id", "launch-wait-1");

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        Assert.StartsWith("launch-wait-1", run.Out);
        Assert.Contains("Robustness", run.Out);
        Assert.Contains("prior=flattening", run.Out);
        Assert.Contains("prior=fixed:0.5", run.Out);
        Assert.Contains("fc1", run.Out);
        Assert.Contains("deterministic", run.Out);
        Assert.Contains("launch-wait-1: Completed, 16/16 completed", run.Error);
        var report = await fixture.Client.GetGrain<ISweepGrain>("launch-wait-1").GetReport();
        var flattening = report.Groups.Single(g => g.Prior == "flattening");
        Assert.Contains(Numbers.MeanInterval(flattening.Layers[0].FinalWidth.Overall), run.Out);
        Assert.Contains(Numbers.PercentInterval(flattening.TestError!.Overall), run.Out);
        Assert.Contains("Method vs control", run.Out);
    }

    [Fact]
    public async Task Launch_wait_json_prints_the_export_and_a_failed_trial_gives_exit_code_2()
    {
        var spec = Specs.Write("launch-fail", $"  g: {{ seed: [1, {FakeTrialExecutor.DivergingSeed}] }}");

        var run = await CliRun.RunAsync(fixture.Environment, "launch", spec, "--wait", "--json", "--id", "launch-fail-1");

        Assert.True(run.ExitCode == ExitCodes.Failure, run.ToString());
        var export = SweepJson.Deserialize<SweepExport>(run.Out);
        Assert.Equal("launch-fail-1", export.SweepId);
        Assert.Equal(1, export.Counts.Failed);
        var failed = export.Results.Single(r => r.State == TrialState.Failed);
        Assert.Equal("diverged", failed.FailureReason);
    }

    [Fact]
    public async Task Launch_report_writes_the_report_when_the_sweep_ends()
    {
        var spec = Specs.Write("launch-report", Specs.QuickGrids);
        var directory = Path.Combine(Path.GetTempPath(), $"sweep-launch-report-{Guid.NewGuid():N}");

        var run = await CliRun.RunAsync(fixture.Environment, "launch", spec, "--report", directory);

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        Assert.True(File.Exists(Path.Combine(directory, "report.html")), run.ToString());
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(directory, "charts"), "*.png"));
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task Launch_starts_the_sweep_launch_span_with_the_sweep_id_and_trial_count()
    {
        var spans = new System.Collections.Concurrent.ConcurrentQueue<System.Diagnostics.Activity>();
        using var listener = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = source => source.Name == Grains.Abstractions.Telemetry.TelemetryNames.Source,
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) => System.Diagnostics.ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        System.Diagnostics.ActivitySource.AddActivityListener(listener);

        var run = await CliRun.RunAsync(fixture.Environment, "launch", Specs.Write("launch-span", "  g: { seed: [1, 2, 3] }"), "--id", "launch-span-1");

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        var span = Assert.Single(spans, s => s.DisplayName == "sweep launch" && (string?)s.GetTagItem("sweep") == "launch-span-1");
        Assert.Equal(3, span.GetTagItem("trials"));
    }

    [Fact]
    public async Task Launching_the_same_spec_under_the_same_id_again_is_a_no_op()
    {
        var spec = Specs.Write("launch-twice", "  g: { seed: [1] }");

        var first = await CliRun.RunAsync(fixture.Environment, "launch", spec, "--id", "launch-twice-1");
        var second = await CliRun.RunAsync(fixture.Environment, "launch", spec, "--id", "launch-twice-1");

        Assert.Equal(ExitCodes.Ok, first.ExitCode);
        Assert.True(second.ExitCode == ExitCodes.Ok, second.ToString());
        Assert.Equal(1, (await fixture.Client.GetGrain<ISweepGrain>("launch-twice-1").GetStatus()).Counts.Total);
    }
}
