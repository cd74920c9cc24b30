using Sweep.Options;
using Sweep.Pruning.Training;

namespace Sweep.Pruning.Tests.Training;

public class TrainerSmokeTests
{
    [Fact]
    public void Small_lenet300_trial_learns_and_reports_every_field()
    {
        var data = SyntheticData.Prototypes(train: 400, test: 200, size: 8, classes: 4, seed: 1);
        var options = new TrialOptions { Width = 0.1, Epochs = 3, BatchSize = 50, Seed = 1, ParameterCost = 0.0, LearningRate = 0.01, Sigma1 = 1 };
        var epochs = new List<EpochProgress>();
        var result = Trainer.Run(options, data, new TrainingHooks { OnEpoch = epochs.Add });
        Assert.Equal(3, epochs.Count);
        Assert.Equal(new[] { 30, 10 }, result.InitialWidths);
        Assert.Equal(2, result.FinalWidths.Count);
        Assert.InRange(result.TestError, 0.0, 0.3);
        Assert.Equal(3, result.EpochWidths.Count);
        Assert.True(result.Parameters > 0 && result.Flops > 0);
        Assert.Equal(24L, result.Steps);
    }
}
