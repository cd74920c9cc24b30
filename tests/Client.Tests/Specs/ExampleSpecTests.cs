using Sweep.Client.Tests.TestData;
using Sweep.Grains.Abstractions.Specs;
using Xunit;

namespace Sweep.Client.Tests.Specs;

/// <summary>The specs in examples/ are accepted by the parser the client and the coordinator use.</summary>
public class ExampleSpecTests
{
    [Theory]
    [InlineData("quick-sweep.yaml", 12)]
    [InlineData("lenet300-study.yaml", 80)]
    [InlineData("lenet5-study.yaml", 30)]
    [InlineData("lenet300-selection.yaml", 6)]
    public async Task Example_spec_is_valid_and_expands_to_the_documented_trials(string file, int trials)
    {
        var check = await SweepSpecParser.ParseFileAsync(Path.Combine(SampleSweep.RepositoryRoot(), "examples", file));

        Assert.True(check.IsValid, string.Join("\n", check.Errors));
        Assert.Equal(trials, check.Trials.Count);
    }

    [Fact]
    public async Task Quick_sweep_is_two_inits_by_three_seeds_under_each_prior_on_full_mnist()
    {
        var check = await SweepSpecParser.ParseFileAsync(Path.Combine(SampleSweep.RepositoryRoot(), "examples", "quick-sweep.yaml"));

        Assert.Equal("lenet300-100", check.Spec.Architecture);
        Assert.Equal("mnist", check.Spec.Dataset);
        Assert.False(check.Spec.Options.ContainsKey("train-limit"));
        foreach (var prior in new[] { "flattening", "fixed:0.5" })
        {
            var trials = check.Trials.Where(t => t.Setting("prior") == prior).ToList();
            Assert.Equal(6, trials.Count);
            Assert.Equal(2, trials.Select(t => t.Setting("init")).Distinct().Count());
            Assert.Equal(3, trials.Select(t => t.Setting("seed")).Distinct().Count());
        }
    }

    [Theory]
    [InlineData("lenet300-study.yaml", 6, new[] { "1", "2", "4" })]
    [InlineData("lenet5-study.yaml", 4, new[] { "1", "2" })]
    public async Task Studies_run_the_method_and_the_control_on_the_same_cells(string file, int inits, string[] widths)
    {
        var check = await SweepSpecParser.ParseFileAsync(Path.Combine(SampleSweep.RepositoryRoot(), "examples", file));

        static string Cell(Grains.Abstractions.Trials.TrialSpec t) =>
            string.Join(' ', t.Settings.Where(s => s.Key != "prior").OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key}={s.Value}"));
        var method = check.Trials.Where(t => t.Setting("prior") == "flattening").Select(Cell).Order().ToArray();
        var control = check.Trials.Where(t => t.Setting("prior") == "fixed:0.5").Select(Cell).Order().ToArray();
        Assert.NotEmpty(method);
        Assert.Equal(method, control);
        Assert.Equal(check.Trials.Count, method.Length + control.Length);
        Assert.Equal(inits, check.Trials.Select(t => t.Setting("init")).Distinct().Count());
        Assert.Contains(check.Trials, t => t.Setting("init") == "normal-0.1");
        Assert.Equal(widths, check.Trials.Select(t => t.Setting("width")!).Distinct().Order());
        Assert.True(check.Trials.GroupBy(Cell).All(cell => cell.Count() == 2), "each cell once per prior");
        Assert.All(check.Trials, t => Assert.Equal("10000", t.Setting("validation")));
    }
}
