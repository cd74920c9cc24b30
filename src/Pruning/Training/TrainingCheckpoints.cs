using Sweep.Options;
using Sweep.Pruning.Models;
using Sweep.Pruning.Optimization;
using static TorchSharp.torch;

namespace Sweep.Pruning.Training;

/// <summary>
/// A trial's state as a <see cref="TrainingCheckpoint"/> and back: the network's tensors (weights, biases, input
/// features, theta, alive flags), the optimizer's moments and step count, the position and the history. The
/// random streams need nothing more: they are re-seeded from (seed, purpose, step or epoch).
/// </summary>
internal static class TrainingCheckpoints
{
    public static TrainingCheckpoint Create(
        TrialOptions options, GatedNetwork network, WeightOptimizer optimizer, TrainingHistory history, TrainingPosition position)
    {
        var header = new CheckpointHeader
        {
            Settings = new Dictionary<string, string>(options.ToSettings()),
            Epoch = position.Epoch,
            Step = position.Step,
            OptimizerSteps = optimizer.StepCount,
            TrainFlops = position.TrainFlops,
            WallSeconds = position.WallSeconds,
            Epochs = [.. history.Epochs],
            EpochWidths = [.. history.EpochWidths],
            EpochDeterministicWidths = [.. history.EpochDeterministicWidths],
            FlopsTimeline = [.. history.FlopsTimeline],
        };
        var tensors = new List<(string, Tensor)>();
        for (var i = 0; i < network.Layers.Count; i++)
        {
            var layer = network.Layers[i];
            if (layer.HasParameters)
            {
                tensors.Add(($"weight{i}", layer.Weight));
                tensors.Add(($"bias{i}", layer.Bias));
            }
            else
            {
                // Feature indices are small integers: exact in float32.
                tensors.Add(($"features{i}", layer.Features!.to_type(float32)));
            }
            if (layer.Gated)
            {
                tensors.Add(($"theta{i}", layer.Theta!));
                tensors.Add(($"alive{i}", layer.Alive!));
            }
        }
        for (var p = 0; p < optimizer.First.Count; p++)
        {
            tensors.Add(($"first{p}", optimizer.First[p]));
            if (optimizer.Second.Count > 0)
            {
                tensors.Add(($"second{p}", optimizer.Second[p]));
            }
        }
        return new TrainingCheckpoint(position.Epoch, position.Step, CheckpointCodec.Encode(header, tensors));
    }

    /// <summary>
    /// Puts the checkpoint's tensors into <paramref name="network"/> and its history into <paramref name="history"/>;
    /// returns the optimizer with the saved state (the caller disposes the one it replaces) and the position.
    /// Throws <see cref="ArgumentException"/> when the checkpoint was written with other options (threads aside).
    /// </summary>
    public static (WeightOptimizer Optimizer, TrainingPosition Position) Restore(
        TrainingCheckpoint checkpoint, TrialOptions options, GatedNetwork network, TrainingHistory history)
    {
        var (header, tensors) = CheckpointCodec.Decode(checkpoint.Payload);
        var saved = header.Settings;
        foreach (var (key, value) in options.ToSettings())
        {
            // Only how many threads run the trial may differ; every other option shapes the result.
            if (key != "threads" && (!saved.TryGetValue(key, out var old) || old != value))
            {
                throw new ArgumentException(
                    $"The checkpoint was written with {key} = '{(saved.TryGetValue(key, out var o) ? o : "(unset)")}', not '{value}'; resume with the trial's original options.",
                    nameof(checkpoint));
            }
        }
        Tensor Take(string name) => tensors.TryGetValue(name, out var t)
            ? t
            : throw new TrainingFailedException("bad-checkpoint", $"The checkpoint lacks tensor {name}.");
        for (var i = 0; i < network.Layers.Count; i++)
        {
            var layer = network.Layers[i];
            if (layer.HasParameters)
            {
                layer.Weight.Dispose();
                layer.Bias.Dispose();
                layer.Weight = Take($"weight{i}").requires_grad_(true);
                layer.Bias = Take($"bias{i}").requires_grad_(true);
            }
            else
            {
                layer.Features!.Dispose();
                layer.Features = Take($"features{i}").to_type(int64).DetachFromDisposeScope();
            }
            if (layer.Gated)
            {
                layer.Theta!.Dispose();
                layer.Alive!.Dispose();
                layer.Theta = Take($"theta{i}");
                layer.Alive = Take($"alive{i}");
            }
        }
        var optimizer = new WeightOptimizer(options.Optimizer, network.Parameters) { StepCount = header.OptimizerSteps };
        for (var p = 0; p < optimizer.First.Count; p++)
        {
            optimizer.First[p].Dispose();
            optimizer.First[p] = Take($"first{p}");
            if (optimizer.Second.Count > 0)
            {
                optimizer.Second[p].Dispose();
                optimizer.Second[p] = Take($"second{p}");
            }
        }
        history.Epochs.AddRange(header.Epochs);
        history.EpochWidths.AddRange(header.EpochWidths);
        history.EpochDeterministicWidths.AddRange(header.EpochDeterministicWidths);
        history.FlopsTimeline.AddRange(header.FlopsTimeline);
        return (optimizer, new TrainingPosition(header.Epoch, header.Step, header.TrainFlops, header.WallSeconds));
    }
}
