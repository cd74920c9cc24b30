using Sweep.Options;
using Sweep.Pruning.Training;

namespace Sweep.Pruning.Tests.Training;

public class DeterminismTests
{
    private static readonly TrainingData Data = SyntheticData.Prototypes(train: 300, test: 100, size: 6, classes: 3, seed: 21);

    private static TrialOptions Options(int seed) => new()
    {
        Width = 0.1, Epochs = 3, BatchSize = 32, Seed = seed, LearningRate = 0.01, ParameterCost = 0.1, CompactEvery = 4, Sigma1 = 1,
    };

    [Fact]
    public void Same_seed_gives_identical_results()
    {
        var (first, firstCheckpoints) = TrialRuns.Run(Options(5), Data);
        var (second, secondCheckpoints) = TrialRuns.Run(Options(5), Data);
        TrialRuns.AssertSameResult(first, second);
        TrialRuns.AssertSameState(firstCheckpoints[^1], secondCheckpoints[^1]);
        Assert.True(first.FinalWidths[0] < first.InitialWidths[0], "the run should prune, so compaction is part of what is compared");
    }

    [Fact]
    public void Different_seeds_give_different_runs()
    {
        var (first, _) = TrialRuns.Run(Options(5), Data);
        var (second, _) = TrialRuns.Run(Options(6), Data);
        Assert.NotEqual(first.Epochs.Select(e => e.TrainLoss), second.Epochs.Select(e => e.TrainLoss));
    }

    [Theory]
    [InlineData("exact", "adam")]
    [InlineData("multilinear", "sgd")]
    [InlineData("reinforce", "adam")]
    public void Checkpoint_at_an_epoch_then_resume_equals_the_uninterrupted_run(string estimator, string optimizer)
    {
        // A cost of 0.05 keeps every layer's rounded network non-empty for all three estimators (0.1 empties fc1 under multilinear + SGD).
        var options = Options(7) with { Estimator = TrialOptionSchema.Estimator.Parse(estimator).Value, Optimizer = TrialOptionSchema.Optimizer.Parse(optimizer).Value, Epochs = 4, LearningRateSchedule = LearningRateSchedule.Step(0.5), ParameterCost = 0.05 };
        var (uninterrupted, checkpoints) = TrialRuns.Run(options, Data);
        Assert.Equal(4, checkpoints.Count);
        var (resumed, resumedCheckpoints) = TrialRuns.Run(options, Data, resumeFrom: checkpoints[1]);
        Assert.Equal(2, resumedCheckpoints.Count);
        TrialRuns.AssertSameResult(uninterrupted, resumed);
        TrialRuns.AssertSameState(checkpoints[^1], resumedCheckpoints[^1]);
    }

    [Fact]
    public void Checkpoint_then_resume_equals_the_uninterrupted_run_with_input_gates()
    {
        var options = Options(9) with { InputGates = true, Epochs = 3 };
        var (uninterrupted, checkpoints) = TrialRuns.Run(options, Data);
        Assert.Equal(3, uninterrupted.FinalWidths.Count);
        Assert.Equal("input", uninterrupted.LayerNames[0]);
        Assert.True(uninterrupted.FinalWidths[0] < 36, "some input features should be pruned");
        var (resumed, resumedCheckpoints) = TrialRuns.Run(options, Data, resumeFrom: checkpoints[0]);
        TrialRuns.AssertSameResult(uninterrupted, resumed);
        TrialRuns.AssertSameState(checkpoints[^1], resumedCheckpoints[^1]);
    }

    [Fact]
    public void Resume_with_different_options_is_refused()
    {
        var (_, checkpoints) = TrialRuns.Run(Options(8) with { Epochs = 2 }, Data);
        var error = Assert.Throws<ArgumentException>(() => Trainer.Run(Options(8) with { Epochs = 2, ParameterCost = 0.2 }, Data, resumeFrom: checkpoints[0]));
        Assert.Contains("cost", error.Message);
    }
}
