using Sweep.Options;
using Sweep.Pruning.Training;

namespace Sweep.Pruning.Tests.Training;

/// <summary>Runs small trials and keeps their checkpoints, for determinism and resume tests.</summary>
internal static class TrialRuns
{
    public static (TrainingResult Result, List<TrainingCheckpoint> Checkpoints) Run(
        TrialOptions options, TrainingData data, TrainingCheckpoint? resumeFrom = null)
    {
        var checkpoints = new List<TrainingCheckpoint>();
        var hooks = new TrainingHooks
        {
            OnCheckpoint = (checkpoint, _) =>
            {
                checkpoints.Add(checkpoint);
                return Task.CompletedTask;
            },
        };
        var result = Trainer.Run(options, data, hooks, resumeFrom);
        return (result, checkpoints);
    }

    /// <summary>Asserts two checkpoints hold bit-identical tensors (weights, thetas, optimizer state) and the same step.</summary>
    public static void AssertSameState(TrainingCheckpoint expected, TrainingCheckpoint actual)
    {
        Assert.Equal(expected.Epoch, actual.Epoch);
        Assert.Equal(expected.Step, actual.Step);
        var (expectedHeader, expectedTensors) = CheckpointCodec.Decode(expected.Payload);
        var (actualHeader, actualTensors) = CheckpointCodec.Decode(actual.Payload);
        Assert.Equal(expectedHeader.OptimizerSteps, actualHeader.OptimizerSteps);
        Assert.Equal(expectedTensors.Keys.Order(), actualTensors.Keys.Order());
        foreach (var (name, tensor) in expectedTensors)
        {
            Assert.Equal(tensor.shape, actualTensors[name].shape);
            Assert.True(tensor.bytes.SequenceEqual(actualTensors[name].bytes), $"tensor {name} differs");
        }
    }

    /// <summary>Asserts two results agree on everything but wall time.</summary>
    public static void AssertSameResult(TrainingResult expected, TrainingResult actual)
    {
        Assert.Equal(expected.FinalWidths, actual.FinalWidths);
        Assert.Equal(expected.TestError, actual.TestError);
        Assert.Equal(expected.TestErrorMeanNet, actual.TestErrorMeanNet);
        Assert.Equal(expected.Undecided, actual.Undecided);
        Assert.Equal(expected.Parameters, actual.Parameters);
        Assert.Equal(expected.TrainFlops, actual.TrainFlops);
        Assert.Equal(expected.EpochWidths, actual.EpochWidths);
        Assert.Equal(expected.EpochFinalWidthReached, actual.EpochFinalWidthReached);
        Assert.Equal(expected.Epochs.Select(e => (e.Epoch, e.Step, e.TrainLoss, e.TestError, e.Undecided)),
                     actual.Epochs.Select(e => (e.Epoch, e.Step, e.TrainLoss, e.TestError, e.Undecided)));
        Assert.Equal(expected.FlopsTimeline, actual.FlopsTimeline);
    }
}
