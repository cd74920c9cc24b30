using Sweep.Client.Commands;
using Sweep.Client.Exports;
using Sweep.Client.Output;
using Sweep.Grains.Abstractions.Sweeps;
using Sweep.Grains.Abstractions.Trials;

namespace Sweep.Client.IntegrationTests;

/// <summary>list, status, results and report against a finished sweep, compared with what the grains return.</summary>
[Collection(ClientClusterCollection.Name)]
public sealed class QueryCommandTests(ClientClusterFixture fixture) : IAsyncLifetime
{
    private string _id = "";

    public async Task InitializeAsync()
    {
        _id = "queries-" + Guid.NewGuid().ToString("N")[..8];
        var run = await CliRun.RunAsync(fixture.Environment, "launch", Specs.Write("queries", Specs.QuickGrids), "--wait", "--id", _id);
        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task List_shows_the_sweep_in_a_table_and_as_json()
    {
        var table = await CliRun.RunAsync(fixture.Environment, "list");
        var json = await CliRun.RunAsync(fixture.Environment, "list", "--json");

        Assert.Equal(ExitCodes.Ok, table.ExitCode);
        Assert.Contains(_id, table.Out);
        var sweeps = SweepJson.Deserialize<List<SweepSummary>>(json.Out);
        var mine = sweeps.Single(s => s.SweepId == _id);
        Assert.Equal(16, mine.Trials);
    }

    [Fact]
    public async Task Status_shows_counts_and_trials()
    {
        var table = await CliRun.RunAsync(fixture.Environment, "status", _id, "--all");
        var json = await CliRun.RunAsync(fixture.Environment, "status", _id, "--json");

        Assert.True(table.ExitCode == ExitCodes.Ok, table.ToString());
        Assert.Contains($"{_id}: Completed, 16/16 completed", table.Out);
        Assert.Contains("orthogonal", table.Out);
        var status = SweepJson.Deserialize<SweepStatus>(json.Out);
        Assert.Equal(SweepState.Completed, status.State);
        Assert.Equal(16, status.Counts.Completed);
    }

    [Fact]
    public async Task Csv_and_json_exports_carry_the_same_numbers_as_GetResults()
    {
        var expected = (await fixture.Client.GetGrain<ISweepGrain>(_id).GetResults()).OrderBy(r => r.Index).ToList();

        var csv = await CliRun.RunAsync(fixture.Environment, "results", _id, "--format", "csv");
        var json = await CliRun.RunAsync(fixture.Environment, "results", _id, "--json");

        Assert.True(csv.ExitCode == ExitCodes.Ok, csv.ToString());
        Assert.True(json.ExitCode == ExitCodes.Ok, json.ToString());
        var fromCsv = ResultsCsv.Read(csv.Out);
        var fromJson = SweepJson.Deserialize<SweepExport>(json.Out).Results;
        Assert.Equal(expected.Count, fromCsv.Count);
        Assert.Equal(expected.Count, fromJson.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            foreach (var actual in new[] { fromCsv[i], fromJson[i] })
            {
                Assert.Equal(expected[i].Index, actual.Index);
                Assert.Equal(expected[i].State, actual.State);
                Assert.Equal(expected[i].FinalWidths, actual.FinalWidths);
                Assert.Equal(expected[i].InitialWidths, actual.InitialWidths);
                Assert.Equal(expected[i].Parameters, actual.Parameters);
                Assert.Equal(expected[i].ParametersFraction, actual.ParametersFraction);
                Assert.Equal(expected[i].Flops, actual.Flops);
                Assert.Equal(expected[i].TestError, actual.TestError);
                Assert.Equal(expected[i].TrainFlopsFraction, actual.TrainFlopsFraction);
                Assert.Equal(expected[i].Undecided, actual.Undecided);
                Assert.Equal(expected[i].WallSeconds, actual.WallSeconds);
                Assert.Equal(expected[i].Settings.OrderBy(s => s.Key), actual.Settings.OrderBy(s => s.Key));
            }
            Assert.Equal(expected[i].Epochs.Select(e => e.FlopsPerStep), fromJson[i].Epochs.Select(e => e.FlopsPerStep));
        }
    }

    [Fact]
    public async Task Results_table_and_file_output()
    {
        var file = Path.Combine(Path.GetTempPath(), $"results-{Guid.NewGuid():N}.csv");

        var table = await CliRun.RunAsync(fixture.Environment, "results", _id);
        var toFile = await CliRun.RunAsync(fixture.Environment, "results", _id, "--format", "csv", "--out", file);

        Assert.True(table.ExitCode == ExitCodes.Ok, table.ToString());
        Assert.Contains("Trials", table.Out);
        Assert.Contains("Robustness", table.Out);
        Assert.Contains("Verdicts", table.Out);
        Assert.Equal(ExitCodes.Ok, toFile.ExitCode);
        Assert.Equal(16, ResultsCsv.Read(File.ReadAllText(file)).Count);
        File.Delete(file);
    }

    [Fact]
    public async Task Report_writes_html_and_charts_whose_data_equals_the_json_export()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"sweep-report-{Guid.NewGuid():N}");

        var report = await CliRun.RunAsync(fixture.Environment, "report", _id, "--out", directory);
        var json = await CliRun.RunAsync(fixture.Environment, "results", _id, "--format", "json");

        Assert.True(report.ExitCode == ExitCodes.Ok, report.ToString());
        Assert.Equal(Path.Combine(directory, "report.html"), report.Out.Trim());
        var written = SweepJson.Deserialize<SweepExport>(File.ReadAllText(Path.Combine(directory, "results.json")));
        var printed = SweepJson.Deserialize<SweepExport>(json.Out);
        Assert.Equal(printed.Results.Select(r => (r.Index, r.TestError, r.Parameters)), written.Results.Select(r => (r.Index, r.TestError, r.Parameters)));
        Assert.Equal(printed.Report.Groups.Select(g => g.TestError!.Overall), written.Report.Groups.Select(g => g.TestError!.Overall));
        var html = File.ReadAllText(Path.Combine(directory, "report.html"));
        Assert.Contains("chart-ablation-lenet300-100-fc1-width", html);
        Assert.True(Directory.GetFiles(Path.Combine(directory, "charts"), "*.svg").Length >= 10);
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task Unknown_sweep_id_is_invalid_input()
    {
        var run = await CliRun.RunAsync(fixture.Environment, "results", "no-such-sweep-0");

        Assert.Equal(ExitCodes.InvalidInput, run.ExitCode);
        Assert.Contains("No sweep 'no-such-sweep-0'", run.Error);
    }

    [Fact]
    public async Task Every_trial_of_the_sweep_completed()
    {
        var results = await fixture.Client.GetGrain<ISweepGrain>(_id).GetResults();

        Assert.All(results, r => Assert.Equal(TrialState.Completed, r.State));
    }
}
