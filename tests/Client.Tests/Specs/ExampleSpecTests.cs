using Sweep.Client.Tests.TestData;
using Sweep.Grains.Abstractions.Specs;
using Xunit;

namespace Sweep.Client.Tests.Specs;

/// <summary>The specs in examples/ are accepted by the parser the client and the coordinator use.</summary>
public class ExampleSpecTests
{
    [Theory]
    [InlineData("quick-sweep.yaml", 16)]
    [InlineData("lenet300-study.yaml", 57)]
    [InlineData("lenet5-study.yaml", 52)]
    public async Task Example_spec_is_valid_and_expands_to_the_documented_trials(string file, int trials)
    {
        var check = await SweepSpecParser.ParseFileAsync(Path.Combine(SampleSweep.RepositoryRoot(), "examples", file));

        Assert.True(check.IsValid, string.Join("\n", check.Errors));
        Assert.Equal(trials, check.Trials.Count);
    }

    [Fact]
    public async Task Quick_sweep_is_two_widths_by_two_inits_by_two_seeds_under_each_prior_on_an_mnist_subset()
    {
        var check = await SweepSpecParser.ParseFileAsync(Path.Combine(SampleSweep.RepositoryRoot(), "examples", "quick-sweep.yaml"));

        Assert.Equal("lenet300-100", check.Spec.Architecture);
        Assert.Equal("mnist", check.Spec.Dataset);
        Assert.True(check.Spec.Options.ContainsKey("train-limit"));
        foreach (var prior in new[] { "flattening", "fixed:0.5" })
        {
            var trials = check.Trials.Where(t => t.Setting("prior") == prior).ToList();
            Assert.Equal(8, trials.Count);
            Assert.Equal(2, trials.Select(t => t.Setting("width")).Distinct().Count());
            Assert.Equal(2, trials.Select(t => t.Setting("init")).Distinct().Count());
            Assert.Equal(2, trials.Select(t => t.Setting("seed")).Distinct().Count());
        }
    }

    [Fact]
    public async Task Studies_cover_every_initialization_and_the_ablation()
    {
        foreach (var file in new[] { "lenet300-study.yaml", "lenet5-study.yaml" })
        {
            var check = await SweepSpecParser.ParseFileAsync(Path.Combine(SampleSweep.RepositoryRoot(), "examples", file));

            var inits = TrialOptionCatalog.Find(TrialOptionCatalog.Init)!.Choices;
            Assert.Equal(inits.Order(), check.Trials.Select(t => t.Setting("init")!).Distinct().Order());
            Assert.Contains(check.Trials, t => t.Setting("prior") == "fixed:0.5");
            Assert.True(check.Trials.Select(t => t.Setting("width")).Distinct().Count() >= 3, file);
        }
    }
}
