using Sweep.Client.Tests.TestData;
using Sweep.Grains.Abstractions.Specs;
using Xunit;

namespace Sweep.Client.Tests.Specs;

/// <summary>The example sweeps that hold a fixed-prior control run it on the method's own cells, so that every trial is paired.</summary>
public class ExampleControlGridTests
{
    [Theory]
    [InlineData("quick-sweep.yaml")]
    [InlineData("lenet300-study.yaml")]
    [InlineData("lenet5-study.yaml")]
    public async Task Example_control_grid_matches_the_method_grid(string file)
    {
        var check = await SweepSpecParser.ParseFileAsync(Path.Combine(SampleSweep.RepositoryRoot(), "examples", file));

        Assert.Contains(check.Trials, t => t.Settings.GetValueOrDefault("prior", "flattening") != "flattening");
        Assert.Empty(check.Warnings);
    }
}
