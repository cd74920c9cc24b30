using System.Text.Json;
using Sweep.Client.Bundles;
using Sweep.Client.Commands;
using Sweep.Client.Exports;
using Sweep.Client.Output;
using Sweep.Grains.Abstractions.Sweeps;
using Sweep.Grains.Abstractions.Trials;

namespace Sweep.Client.IntegrationTests;

/// <summary>A design run in two parts, as on two machines: the second launched with --only-missing, then merged by report --from.</summary>
[Collection(ClientClusterCollection.Name)]
public sealed class OnlyMissingTests(ClientClusterFixture fixture) : IDisposable
{
    private const string Whole = "  g: { init: [kaiming-uniform, orthogonal], seed: [1, 2, 3] }";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"sweep-only-missing-{Guid.NewGuid():N}");

    [Fact]
    public async Task Only_missing_launches_exactly_the_trials_the_bundles_lack_and_the_parts_merge_into_the_whole()
    {
        Directory.CreateDirectory(_directory);
        // The first machine ran seed 1 and 2 only.
        var firstRun = await CliRun.RunAsync(fixture.Environment, "launch", Specs.Write("only-missing", Whole.Replace("[1, 2, 3]", "[1, 2]")), "--wait", "--id", "only-missing-part1");
        Assert.True(firstRun.ExitCode == ExitCodes.Ok, firstRun.ToString());
        var first = Path.Combine(_directory, "part1.json");
        var exported = await CliRun.RunAsync(fixture.Environment, "results", "only-missing-part1", "--format", "json", "--out", first);
        Assert.True(exported.ExitCode == ExitCodes.Ok, exported.ToString());

        var spec = Specs.Write("only-missing", Whole);
        var rest = await CliRun.RunAsync(fixture.Environment, "launch", spec, "--only-missing", first, "--wait", "--json", "--id", "only-missing-part2");

        Assert.True(rest.ExitCode == ExitCodes.Ok, rest.ToString());
        Assert.Contains("4 of the 6 trials of only-missing completed in the bundles and are skipped; 2 to launch", rest.Error);
        var second = SweepJson.Deserialize<SweepExport>(rest.Out);
        Assert.Equal(2, second.Counts.Total);
        Assert.Equal(["kaiming-uniform 3", "orthogonal 3"], second.Results.Select(r => $"{r.Setting("init")} {r.Setting("seed")}").Order());
        Assert.All(second.Results, r => Assert.Equal(TrialState.Completed, r.State));
        Assert.Equal(4, second.Spec!.Skip.Count);
        var secondPath = Path.Combine(_directory, "part2.json");
        await File.WriteAllTextAsync(secondPath, rest.Out);

        // The whole design launched in one go, for comparison.
        var wholeRun = await CliRun.RunAsync(fixture.Environment, "launch", spec, "--wait", "--json", "--id", "only-missing-whole");
        Assert.True(wholeRun.ExitCode == ExitCodes.Ok, wholeRun.ToString());
        var whole = SweepJson.Deserialize<SweepExport>(wholeRun.Out);

        var merged = BundleMerger.Merge(await ResultsBundle.LoadAllAsync([first, secondPath], CancellationToken.None)).Export;
        Assert.Equal(whole.Results.Select(r => (r.Index, TrialSpec.Describe(r.Settings))), merged.Results.Select(r => (r.Index, TrialSpec.Describe(r.Settings))));
        Assert.Equal(SweepState.Completed, merged.State);
        Assert.Equal(Json(whole.Report.Groups), Json(merged.Report.Groups));

        var report = Path.Combine(_directory, "report");
        var rebuilt = await CliRun.RunAsync(fixture.Environment, "report", "--from", first, "--from", secondPath, "--out", report);
        Assert.True(rebuilt.ExitCode == ExitCodes.Ok, rebuilt.ToString());
        Assert.Contains("6 in all, 6 completed", await File.ReadAllTextAsync(Path.Combine(report, "report.html")));
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, SweepJson.Options);
}
