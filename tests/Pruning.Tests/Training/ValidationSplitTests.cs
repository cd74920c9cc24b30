using Sweep.Options;
using Sweep.Pruning.Training;

namespace Sweep.Pruning.Tests.Training;

public class ValidationSplitTests
{
    private const int Train = 300;
    private const int Held = 80;

    private static TrialOptions Options(int validation) => new()
    {
        Width = 0.1, Epochs = 3, BatchSize = 32, Seed = 4, LearningRate = 0.01, ParameterCost = 0.1, CompactEvery = 4, Sigma1 = 1,
        Validation = validation,
    };

    [Fact]
    public void The_validation_split_is_the_untrained_tail_of_the_training_file()
    {
        var full = SyntheticData.Prototypes(train: Train, test: 100, size: 6, classes: 3, seed: 33);
        var (trainImages, trainLabels, _, _) = full.Tensors;
        var features = full.Features;
        float[] Rows(int first, int count) => trainImages.narrow(0, first, count).data<float>().ToArray();
        long[] Labels(int first, int count) => trainLabels.narrow(0, first, count).data<long>().ToArray();
        // The same head as the only training data, and the held-out tail as the test set.
        var head = new TrainingData(Rows(0, Train - Held), Labels(0, Train - Held), Rows(Train - Held, Held), Labels(Train - Held, Held), 6, 6, 3);

        var (withSplit, _) = TrialRuns.Run(Options(Held), full);
        var (onHeadOnly, _) = TrialRuns.Run(Options(0), head);

        // Training never saw the tail: the run is the head-only run, step for step.
        Assert.Equal(onHeadOnly.FinalWidths, withSplit.FinalWidths);
        Assert.Equal(onHeadOnly.Epochs.Select(e => e.TrainLoss), withSplit.Epochs.Select(e => e.TrainLoss));
        Assert.Equal(Train - Held, withSplit.TrainExamples);
        // Validation error is the error on the tail, every epoch and at the end.
        Assert.Equal(onHeadOnly.Epochs.Select(e => e.TestError), withSplit.Epochs.Select(e => e.ValidationError));
        Assert.Equal(onHeadOnly.TestError, withSplit.ValidationError);
        Assert.True(features > 0 && withSplit.ValidationError is >= 0 and <= 1);
    }

    [Fact]
    public void Without_a_split_there_is_no_validation_error()
    {
        var data = SyntheticData.Prototypes(train: 200, test: 50, size: 6, classes: 3, seed: 34);
        var (result, _) = TrialRuns.Run(Options(0) with { Epochs = 1 }, data);
        Assert.True(double.IsNaN(result.ValidationError));
        Assert.All(result.Epochs, e => Assert.True(double.IsNaN(e.ValidationError)));
        Assert.Equal(200, result.TrainExamples);
        Assert.False(result.Options.ToSettings().ContainsKey("validation"));
    }

    [Fact]
    public void A_split_that_holds_out_every_image_is_refused()
    {
        var data = SyntheticData.Prototypes(train: 100, test: 20, size: 6, classes: 3, seed: 35);
        var error = Assert.Throws<TrainingFailedException>(() => TrialRuns.Run(Options(100), data));
        Assert.Contains("validation = 100", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validation_round_trips_through_settings()
    {
        var options = TrialOptions.FromSettings(new Dictionary<string, string> { ["validation"] = "10000" });
        Assert.Equal(10000, options.Validation);
        Assert.Equal(options, TrialOptions.FromSettings(options.ToSettings()));
        Assert.Throws<ArgumentException>(() => TrialOptions.FromSettings(new Dictionary<string, string> { ["validation"] = "-1" }));
    }
}
