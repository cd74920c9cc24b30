using Sweep.Grains.Abstractions.Specs;
using Sweep.Grains.Execution;
using Sweep.Pruning.Training;

namespace Sweep.Grains.Tests.Specs;

/// <summary>The client-side catalog must agree with the trainer's options, or specs are checked against the wrong rules.</summary>
public sealed class TrialOptionCatalogTests
{
    [Fact]
    public void Catalog_names_are_the_trainers_setting_names()
    {
        Assert.Equal(TrainingOptions.SettingNames.Order(StringComparer.Ordinal), TrialOptionCatalog.All.Select(o => o.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_spec_without_epochs_counts_the_epochs_the_trainer_runs()
    {
        // Progress and ETA of a trial whose spec has no `epochs:` use the catalog's default; the trainer runs its own.
        Assert.Equal(TrialOptionCatalog.DefaultEpochs, new TrainingOptions().Epochs);
    }

    [Theory]
    [InlineData("arch")]
    [InlineData("init")]
    [InlineData("estimator")]
    [InlineData("optimizer")]
    public void Catalog_choices_are_the_trainers(string option)
    {
        var expected = option switch
        {
            "arch" => TrainingOptions.Architectures,
            "init" => TrainingOptions.Initializations,
            "estimator" => TrainingOptions.Estimators,
            _ => TrainingOptions.Optimizers,
        };
        Assert.Equal(expected, TrialOptionCatalog.Find(option)!.Choices);
    }

    [Fact]
    public void Every_default_setting_passes_both_checks()
    {
        foreach (var (name, value) in new TrainingOptions().ToSettings())
        {
            if (TrialOptionCatalog.Reserved.ContainsKey(name))
            {
                continue;
            }
            var (normalized, error) = TrialOptionCatalog.Normalize(name, value);
            Assert.True(error is null, $"{name}={value}: {error}");
            Assert.Null(new PruningSettingsCheck().Check(new Dictionary<string, string> { [name] = normalized! }));
        }
    }

    [Fact]
    public void The_trainers_check_rejects_what_the_catalog_cannot_see()
    {
        var error = new PruningSettingsCheck().Check(new Dictionary<string, string> { ["arch"] = "lenet300-100", ["cost-multipliers"] = "1,2,3" });

        Assert.NotNull(error);
        Assert.Contains("cost-multipliers", error, StringComparison.Ordinal);
    }
}
