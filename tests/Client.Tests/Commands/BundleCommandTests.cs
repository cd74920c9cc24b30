using Sweep.Client.Commands;
using Sweep.Client.Exports;
using Sweep.Client.Output;
using Sweep.Client.Tests.TestData;
using Sweep.Grains.Abstractions.Trials;
using Xunit;

namespace Sweep.Client.Tests.Commands;

/// <summary>`report --from`, `results --from` and `launch --only-missing` on generated bundles: no cluster (a closed gateway would give exit code 3).</summary>
public sealed class BundleCommandTests : IDisposable
{
    private const string ClosedGateway = "127.0.0.1:1";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"sweep-bundle-commands-{Guid.NewGuid():N}");

    private string PartsOfTheWhole(out string second)
    {
        var whole = GeneratedBundles.Spec(GeneratedBundles.WholeGrids);
        second = GeneratedBundles.Write(GeneratedBundles.Export(whole, "part-2", t => t.Setting("seed") == "3"), _directory);
        return GeneratedBundles.Write(GeneratedBundles.Export(whole, "part-1", t => t.Setting("seed") != "3"), _directory);
    }

    [Fact]
    public async Task Report_from_bundles_writes_the_report_of_the_merged_design()
    {
        var first = PartsOfTheWhole(out var second);
        var output = Path.Combine(_directory, "report");

        var (exit, console) = await TestConsole.RunAsync("report", "--from", first, "--from", second, "--out", output, "--gateway", ClosedGateway);

        Assert.True(exit == ExitCodes.Ok, console.Error);
        Assert.Equal(Path.Combine(output, "report.html"), console.Out.Trim());
        var html = await File.ReadAllTextAsync(Path.Combine(output, "report.html"));
        Assert.Contains("part-1 + part-2", html);
        Assert.Contains("18 in all, 18 completed", html);
        var export = SweepJson.Deserialize<SweepExport>(await File.ReadAllTextAsync(Path.Combine(output, "results.json")));
        Assert.Equal(18, export.Results.Count);
        Assert.Equal(Enumerable.Range(0, 18), export.Results.Select(r => r.Index));
    }

    [Fact]
    public async Task Results_from_bundles_prints_the_tables_and_its_json_is_a_bundle_again()
    {
        var first = PartsOfTheWhole(out var second);
        var merged = Path.Combine(_directory, "merged.json");

        // As a shell pattern lists them: the files after the first follow --from.
        var (tableExit, table) = await TestConsole.RunAsync("results", "--from", first, second);
        var (jsonExit, json) = await TestConsole.RunAsync("results", "--from", first, "--from", second, "--format", "json", "--out", merged);
        var (againExit, again) = await TestConsole.RunAsync("results", "--from", merged, "--format", "csv");

        Assert.True(tableExit == ExitCodes.Ok, table.Error);
        Assert.Contains("prior=fixed:0.5", table.Out);
        Assert.Contains("│ 17 ", table.Out);
        Assert.Contains("deterministic", table.Out);
        Assert.True(jsonExit == ExitCodes.Ok, json.Error);
        Assert.True(againExit == ExitCodes.Ok, again.Error);
        var rows = again.Out.Trim().Split('\n');
        Assert.Equal(1 + 18, rows.Length);
        Assert.StartsWith("index,grid,state,", rows[0]);
    }

    [Fact]
    public async Task Overlapping_bundles_give_exit_code_1_naming_the_files_and_the_trial()
    {
        var first = PartsOfTheWhole(out _);
        var copy = Path.Combine(_directory, "copy.json");
        File.Copy(first, copy);

        var (exit, console) = await TestConsole.RunAsync("report", "--from", first, "--from", copy, "--out", Path.Combine(_directory, "r"));

        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.Contains(first, console.Error.ReplaceLineEndings(""));
        Assert.Contains("copy.json", console.Error);
        Assert.Contains("seed=1", console.Error);
        Assert.False(Directory.Exists(Path.Combine(_directory, "r")));
    }

    [Theory]
    [InlineData("results", "some-sweep-20261201-000000-abcd", "--from", "{bundle}")]
    [InlineData("report", "--from", "no-such-bundle.json")]
    [InlineData("results")]
    [InlineData("results", "some-sweep-20261201-000000-abcd", "other-sweep-20261201-000000-abcd")]
    public async Task Bad_sources_are_invalid_input(params string[] args)
    {
        var bundle = PartsOfTheWhole(out _);

        var (exit, console) = await TestConsole.RunAsync([.. args.Select(a => a.Replace("{bundle}", bundle)), "--gateway", ClosedGateway]);

        Assert.True(exit == ExitCodes.InvalidInput, console.Error);
    }

    [Fact]
    public async Task Launch_only_missing_with_a_bundle_of_another_spec_is_invalid_input_before_connecting()
    {
        var bundle = GeneratedBundles.Write(GeneratedBundles.Export(GeneratedBundles.Spec(GeneratedBundles.WholeGrids, "other-design"), "other-1"), _directory);
        var spec = await WriteWholeSpecAsync();

        var (exit, console) = await TestConsole.RunAsync("launch", spec, "--only-missing", bundle, "--gateway", ClosedGateway);

        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.Contains("belongs to another spec", console.Error);
        Assert.Contains("'other-design'", console.Error);
    }

    [Fact]
    public async Task Launch_only_missing_reads_every_bundle_listed_after_the_option()
    {
        var matching = PartsOfTheWhole(out _);
        var other = GeneratedBundles.Write(GeneratedBundles.Export(GeneratedBundles.Spec(GeneratedBundles.WholeGrids, "other-design"), "other-1"), _directory);
        var spec = await WriteWholeSpecAsync();

        var (exit, console) = await TestConsole.RunAsync("launch", spec, "--only-missing", matching, other, "--gateway", ClosedGateway);

        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.Contains("other-1.json belongs to another spec", console.Error.ReplaceLineEndings(""));
    }

    [Fact]
    public async Task Launch_only_missing_when_every_trial_completed_launches_nothing()
    {
        var whole = GeneratedBundles.Spec(GeneratedBundles.WholeGrids);
        var bundle = GeneratedBundles.Write(GeneratedBundles.Export(whole, "whole-1", state: _ => TrialState.Completed), _directory);
        var spec = await WriteWholeSpecAsync();

        var (exit, console) = await TestConsole.RunAsync("launch", spec, "--only-missing", bundle, "--gateway", ClosedGateway);

        Assert.True(exit == ExitCodes.Ok, console.Error);
        Assert.Contains("18 of the 18 trials of bundle-design completed in the bundles and are skipped; 0 to launch", console.Error);
        Assert.Equal("", console.Out);
    }

    private async Task<string> WriteWholeSpecAsync()
    {
        var spec = Path.Combine(_directory, "spec.yaml");
        await File.WriteAllTextAsync(spec, $"""
            name: bundle-design
            architecture: lenet300-100
            dataset: mnist
            epochs: 3
            options: {"{"} train-limit: 1000 {"}"}
            grids:
            {GeneratedBundles.WholeGrids}
            """);
        return spec;
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
