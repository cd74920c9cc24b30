using Sweep.Grains.Abstractions.Specs;
using Sweep.Grains.Execution;
using Sweep.Options;

namespace Sweep.Grains.Tests.Specs;

/// <summary>The coordinator's check of a trial's settings is the option schema's, so the client and the silo accept the same trials.</summary>
public sealed class TrialSettingsCheckTests
{
    [Fact]
    public void Every_default_setting_passes_both_checks()
    {
        foreach (var (name, value) in new TrialOptions().ToSettings())
        {
            var option = TrialOptionSchema.Find(name)!;
            if (!option.SpecMaySet)
            {
                continue;
            }
            var (normalized, error) = option.Canonicalize(value);
            Assert.True(error is null, $"{name}={value}: {error}");
            Assert.Null(new PruningSettingsCheck().Check(new Dictionary<string, string> { [name] = normalized! }));
        }
    }

    [Fact]
    public void The_silos_check_rejects_combinations_no_single_value_shows()
    {
        var error = new PruningSettingsCheck().Check(new Dictionary<string, string> { ["arch"] = "lenet300-100", ["cost-multipliers"] = "1,2,3" });

        Assert.NotNull(error);
        Assert.Contains("cost-multipliers", error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_spec_check_rejects_the_same_combinations_before_anything_is_launched()
    {
        var check = SweepSpecParser.TryParse(
            "name: s\narchitecture: lenet5-caffe\ndataset: mnist\noptions: { input-gates: true }\ngrids:\n  g: { seed: [1] }\n",
            new SweepSpecRules { CheckDatasetDirectory = false });

        var error = Assert.Single(check.Errors);
        Assert.Equal("grids.g", error.Path);
        Assert.Contains("input-gates", error.Message, StringComparison.Ordinal);
        Assert.Empty(check.Trials);
    }
}
