using Sweep.Options;
using Sweep.Pruning.Training;

namespace Sweep.Pruning.Tests.Training;

/// <summary>The determinism claim on a small task: a 30-10 network where a few units suffice.</summary>
public class ParsimonyTests
{
    private static readonly TrainingData Data = SyntheticData.Prototypes(train: 256, test: 500, size: 4, classes: 4, seed: 1);

    private static TrialOptions Options(string prior) => new()
    {
        Width = 0.1, Epochs = 200, BatchSize = 256, LearningRate = 0.02, ThetaLearningRate = 1, ParameterCost = 0.3, Prior = TrialOptionSchema.Prior.Parse(prior).Value, Sigma1 = 1,
    };

    [Fact]
    public void Flattening_prior_drives_every_gate_to_exactly_0_or_1_and_keeps_the_needed_units()
    {
        var result = Trainer.Run(Options("flattening"), Data);
        Assert.Equal(0, result.Undecided);
        Assert.Equal(0, result.UndecidedTolerant);
        Assert.True(result.FinalWidths[0] <= result.InitialWidths[0] / 2, $"widths {string.Join("-", result.FinalWidths)}");
        Assert.True(result.FinalWidths[1] < result.InitialWidths[1], $"widths {string.Join("-", result.FinalWidths)}");
        Assert.True(result.TestError < 0.05, $"test error {result.TestError}");
        Assert.Equal(result.TestError, result.TestErrorMeanNet);   // deterministic: rounding changes nothing
    }

    [Fact]
    public void Fixed_prior_ablation_leaves_gates_undecided_on_the_same_task()
    {
        var result = Trainer.Run(Options("fixed:0.5"), Data);
        var remaining = result.EpochWidths[^1].Sum();
        Assert.True(result.Undecided >= remaining / 2, $"{result.Undecided} undecided of {remaining} remaining gates");
    }
}
