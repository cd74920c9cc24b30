using Sweep.Options;
using Sweep.Pruning.Training;

namespace Sweep.Pruning.Tests.Training;

public class FailureTests
{
    private static readonly TrainingData Data = SyntheticData.Prototypes(train: 256, test: 64, size: 4, classes: 4, seed: 31);

    [Fact]
    public void Divergence_is_reported_as_such()
    {
        var options = new TrialOptions { Width = 0.1, Epochs = 2, BatchSize = 32, Optimizer = WeightOptimizerKind.Sgd, LearningRate = 1e12, ThetaLearningRate = 0 };
        var error = Assert.Throws<TrainingFailedException>(() => Trainer.Run(options, Data));
        Assert.Equal("diverged", error.Reason);
    }

    [Theory]
    [InlineData("adam", 1000.0)]
    [InlineData("sgd", 1000.0)]
    public void A_learning_rate_far_too_high_is_divergence_not_collapse(string optimizer, double learningRate)
    {
        // The default cost and gates: the loss explodes long before any layer could lose its units.
        var options = new TrialOptions { Width = 0.1, Epochs = 3, BatchSize = 32, Optimizer = TrialOptionSchema.Optimizer.Parse(optimizer).Value, LearningRate = learningRate };
        var error = Assert.Throws<TrainingFailedException>(() => Trainer.Run(options, Data));
        Assert.Equal("diverged", error.Reason);
        Assert.Contains("starting", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ordinary_training_is_not_taken_for_divergence()
    {
        // Gates held still: only the weights learn, and their loss must not read as divergence.
        var options = new TrialOptions { Width = 0.1, Epochs = 3, BatchSize = 32, LearningRate = 0.01, ThetaLearningRate = 0 };
        var result = Trainer.Run(options, Data);
        Assert.True(result.TestError < 0.75, $"test error {result.TestError}");
    }

    [Fact]
    public void A_cost_no_unit_can_pay_collapses_the_network_as_a_distinct_failure()
    {
        var options = new TrialOptions { Width = 0.1, Epochs = 20, BatchSize = 256, LearningRate = 0.02, ThetaLearningRate = 1, ParameterCost = 5, Sigma1 = 1 };
        var error = Assert.Throws<TrainingFailedException>(() => Trainer.Run(options, Data));
        Assert.Equal("collapsed", error.Reason);
    }

    [Fact]
    public void Alive_layer_whose_gates_all_round_to_zero_at_the_end_is_a_collapse_not_a_result()
    {
        // Gates start at 0.3 and never move: every unit is alive (theta > 0) but the deterministic network is empty.
        var options = new TrialOptions { Width = 0.1, Epochs = 1, BatchSize = 64, InitialTheta = 0.3, ThetaLearningRate = 0 };
        var error = Assert.Throws<TrainingFailedException>(() => Trainer.Run(options, Data));
        Assert.Equal("collapsed", error.Reason);
        Assert.Contains("theta >= 0.5", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cancellation_stops_between_steps()
    {
        using var cancellation = new CancellationTokenSource();
        var steps = 0;
        var hooks = new TrainingHooks
        {
            StepInterval = 1,
            OnSteps = _ =>
            {
                if (++steps == 3)
                {
                    cancellation.Cancel();
                }
            },
        };
        var options = new TrialOptions { Width = 0.1, Epochs = 5, BatchSize = 16 };
        Assert.ThrowsAny<OperationCanceledException>(() => Trainer.Run(options, Data, hooks, null, cancellation.Token));
        Assert.Equal(3, steps);
    }
}
