using Sweep.Options;
using Sweep.Pruning.Gates;
using Sweep.Pruning.Training;

namespace Sweep.Pruning.Tests.Training;

/// <summary>exact-examples-epochs: exact-examples holds in the first E epochs, then every example is flipped.</summary>
public class ExactExamplesScheduleTests
{
    private static readonly TrainingData Data = SyntheticData.Prototypes(train: 300, test: 100, size: 6, classes: 3, seed: 21);

    private static TrialOptions Options(int examples, int examplesEpochs) => new()
    {
        Width = 0.1, Epochs = 3, BatchSize = 32, Seed = 5, LearningRate = 0.01, ParameterCost = 0.1, CompactEvery = 4, Sigma1 = 1,
        ExactExamples = examples, ExactExamplesEpochs = examplesEpochs,
    };

    [Fact]
    public void The_estimator_flips_the_first_examples_in_the_scheduled_epochs_and_every_example_after_them()
    {
        var estimator = new ExactEstimator(0, examples: 9, examplesEpochs: 2);
        Assert.Equal(9, estimator.EvaluatedExamples(32));
        estimator.BeginEpoch(2);
        Assert.Equal(9, estimator.EvaluatedExamples(32));
        estimator.BeginEpoch(3);
        Assert.Equal(32, estimator.EvaluatedExamples(32));
        var everyEpoch = new ExactEstimator(0, examples: 9);
        everyEpoch.BeginEpoch(40);
        Assert.Equal(9, everyEpoch.EvaluatedExamples(32));
    }

    [Fact]
    public void A_scheduled_trial_trains_as_exact_examples_until_its_last_scheduled_epoch_and_differently_after()
    {
        var (scheduled, _) = TrialRuns.Run(Options(examples: 9, examplesEpochs: 1), Data);
        var (always, _) = TrialRuns.Run(Options(examples: 9, examplesEpochs: 0), Data);
        var (every, _) = TrialRuns.Run(Options(examples: 0, examplesEpochs: 0), Data);
        Assert.Equal(always.Epochs[0].TrainLoss, scheduled.Epochs[0].TrainLoss);
        Assert.NotEqual(every.Epochs[0].TrainLoss, scheduled.Epochs[0].TrainLoss);
        Assert.NotEqual(always.Epochs[1].TrainLoss, scheduled.Epochs[1].TrainLoss);
    }

    [Fact]
    public void A_resumed_scheduled_trial_keeps_its_schedule()
    {
        var options = Options(examples: 9, examplesEpochs: 2);
        var (uninterrupted, checkpoints) = TrialRuns.Run(options, Data);
        var (resumed, _) = TrialRuns.Run(options, Data, resumeFrom: checkpoints[1]);
        TrialRuns.AssertSameResult(uninterrupted, resumed);
    }
}
