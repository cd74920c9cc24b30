using Sweep.Client.Commands;
using Sweep.Client.Output;
using Sweep.Grains.Abstractions.Sweeps;
using Sweep.Tests.Shared;

namespace Sweep.Client.IntegrationTests;

/// <summary>Bad specs and bad data are refused before anything is launched (exit 1, the file and the fault); a sweep whose trials all fail says why.</summary>
[Collection(ClientClusterCollection.Name)]
public sealed class BadInputTests(ClientClusterFixture fixture)
{
    private static string WriteSpec(string name, string text, string extension = ".yaml")
    {
        var path = Path.Combine(Path.GetTempPath(), $"{name}-{Guid.NewGuid():N}{extension}");
        File.WriteAllText(path, text);
        return path;
    }

    private async Task AssertNotLaunched(string id) =>
        Assert.Equal(SweepState.NotLaunched, (await fixture.Client.GetGrain<ISweepGrain>(id).GetStatus()).State);

    [Fact]
    public async Task A_corrupt_dataset_stops_the_launch_with_the_file_and_the_fault()
    {
        var directory = IdxFiles.Write(Path.Combine(Path.GetTempPath(), $"bad-labels-{Guid.NewGuid():N}"), train: 20, test: 5);
        var labels = Path.Combine(directory, "train-labels-idx1-ubyte");
        var bytes = File.ReadAllBytes(labels);
        bytes[8 + 7] = 12;   // example 7: class 12 of an MNIST-like (10-class) dataset
        File.WriteAllBytes(labels, bytes);
        var spec = WriteSpec("bad-data", $"name: bad-data\narchitecture: lenet300-100\ndataset: {directory}\nepochs: 1\ngrids:\n  g: {{ seed: [1, 2] }}\n");

        var run = await CliRun.RunAsync(fixture.Environment, "launch", spec, "--id", "bad-data-20261201-000000-0001");

        Assert.True(run.ExitCode == ExitCodes.InvalidInput, run.ToString());
        Assert.Contains(labels, run.Error, StringComparison.Ordinal);
        Assert.Contains("label 12 at byte offset 15 (example 7)", run.Error, StringComparison.Ordinal);
        await AssertNotLaunched("bad-data-20261201-000000-0001");

        // Truncated images: the same, with the structural fault.
        File.WriteAllBytes(labels, bytes.Select((b, i) => i == 15 ? (byte)3 : b).ToArray());
        var images = Path.Combine(directory, "t10k-images-idx3-ubyte");
        File.WriteAllBytes(images, File.ReadAllBytes(images)[..^10]);
        var truncated = await CliRun.RunAsync(fixture.Environment, "launch", spec, "--dry-run");
        Assert.True(truncated.ExitCode == ExitCodes.InvalidInput, truncated.ToString());
        Assert.Contains($"{images}: truncated", truncated.Error, StringComparison.Ordinal);
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task Corrupt_data_in_sweep_train_is_invalid_input()
    {
        var directory = IdxFiles.Write(Path.Combine(Path.GetTempPath(), $"train-bad-{Guid.NewGuid():N}"), train: 20, test: 5);
        File.WriteAllBytes(Path.Combine(directory, "t10k-labels-idx1-ubyte"), [0, 0, 8, 1, 0, 0, 0, 5, 1, 2]);

        var run = await CliRun.RunAsync(fixture.Environment, "train", "--data", directory, "--epochs", "1", "--json");

        Assert.True(run.ExitCode == ExitCodes.InvalidInput, run.ToString());
        Directory.Delete(directory, recursive: true);
    }

    [Theory]
    [InlineData("name: x\ngrids:\n  g: { seed: [1, 2 }\n", ".yaml", "line 3, column 20: (spec): not valid YAML")]
    [InlineData("name: !<> x\n", ".yaml", "line 1, column 5: (spec): not valid YAML")]
    [InlineData("{ \"name\": \"j\", \"architecture\": \"lenet300-100\", \"dataset\": \"mnist\",\n  \"grids\": { \"g\": { \"seed\": [1, 2], } } }\n", ".json", "line 2, column 37: (spec): not valid JSON")]
    public async Task A_malformed_spec_is_exit_1_with_line_and_column_and_no_stack_trace(string text, string extension, string expected)
    {
        var run = await CliRun.RunAsync(fixture.Environment, "launch", WriteSpec("malformed", text, extension));

        Assert.True(run.ExitCode == ExitCodes.InvalidInput, run.ToString());
        Assert.Contains(expected, run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("\n   at ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_oversized_spec_is_refused()
    {
        var spec = WriteSpec("oversized", "name: big\narchitecture: lenet300-100\ndataset: mnist\ndescription: " + new string('x', 3_000_000) + "\ngrids:\n  g: { seed: [1] }\n");

        var run = await CliRun.RunAsync(fixture.Environment, "launch", spec, "--id", "big-20261201-000000-0001");

        Assert.True(run.ExitCode == ExitCodes.InvalidInput, run.ToString());
        Assert.Contains("more than the limit of 262,144 bytes", run.Error, StringComparison.Ordinal);
        await AssertNotLaunched("big-20261201-000000-0001");
    }

    [Fact]
    public async Task Dry_run_prints_the_trials_and_grids_and_launches_nothing()
    {
        var spec = Specs.Write("dry-run", Specs.QuickGrids);

        var run = await CliRun.RunAsync(new Dictionary<string, string?> { ["SWEEP_GATEWAYS"] = "127.0.0.1:1" }, "launch", spec, "--dry-run");

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        Assert.Contains("Spec dry-run: 16 trials", run.Out, StringComparison.Ordinal);
        Assert.Contains("flattening", run.Out, StringComparison.Ordinal);
        Assert.Contains("init: kaiming-uniform, orthogonal", run.Out, StringComparison.Ordinal);
        Assert.Contains("nothing was launched", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Launched", run.Error, StringComparison.Ordinal);
        // The specs train on 1,000 examples at the default cost: warned, with the cost to use.
        Assert.Contains("Warning: 16 trials without a cost: the default cost 0.03", run.Error, StringComparison.Ordinal);

        var invalid = await CliRun.RunAsync(fixture.Environment, "launch", Specs.Write("dry-run-bad", "  g: { init: [nope] }"), "--dry-run");
        Assert.True(invalid.ExitCode == ExitCodes.InvalidInput, invalid.ToString());
        Assert.Contains("unknown init 'nope'", invalid.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sweep_whose_trials_all_fail_says_why_and_shows_no_metrics()
    {
        var spec = Specs.Write("all-fail", $"  g: {{ seed: [{FakeTrialExecutor.DivergingSeed}], width: [1, 2] }}");

        var run = await CliRun.RunAsync(fixture.Environment, "launch", spec, "--wait", "--id", "all-fail-20261201-000000-0001");

        Assert.True(run.ExitCode == ExitCodes.Failure, run.ToString());
        Assert.Contains("2 of 2 trials failed; the first, #0: diverged: loss became NaN at epoch 2", run.Error, StringComparison.Ordinal);
        Assert.Contains("Failed trials by group", run.Out, StringComparison.Ordinal);
        Assert.Contains("none: all 2 trials failed", run.Out, StringComparison.Ordinal);

        var results = await CliRun.RunAsync(fixture.Environment, "results", "all-fail-20261201-000000-0001");
        Assert.Contains("Failed: diverged", results.Out, StringComparison.Ordinal);
        Assert.Contains("none: all 2 trials failed", results.Out, StringComparison.Ordinal);
        var csv = await CliRun.RunAsync(fixture.Environment, "results", "all-fail-20261201-000000-0001", "--format", "csv");
        var rows = Sweep.Client.Exports.Csv.Read(csv.Out);
        var testError = Array.IndexOf(rows[0], "test_error");
        Assert.All(rows.Skip(1), r => Assert.Equal("", r[testError]));
        var json = await CliRun.RunAsync(fixture.Environment, "results", "all-fail-20261201-000000-0001", "--json");
        Assert.Contains("\"testError\": null", json.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("\"testError\": 0", json.Out, StringComparison.Ordinal);
    }
}
