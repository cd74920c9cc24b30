using Sweep.Pruning.Models;
using static TorchSharp.torch;

namespace Sweep.Pruning.Training;

/// <summary>
/// Classification error of a network on the test set or on the validation split (the last
/// <paramref name="validation"/> images of the training file, never trained on).
/// </summary>
internal sealed class ErrorEvaluator(TrainingData data, int validation)
{
    private const int Chunk = 1000;

    /// <summary>Test error of the deterministic network (theta >= 0.5) or of the mean network (outputs scaled by theta); NaN without test images.</summary>
    public double TestError(GatedNetwork network, bool deterministic)
    {
        var (_, _, testImages, testLabels) = data.Tensors;
        return ErrorOn(network, testImages, testLabels, 0, data.TestCount, deterministic);
    }

    /// <summary>Error of the deterministic network on the held-out tail of the training file; NaN without a validation split.</summary>
    public double ValidationError(GatedNetwork network)
    {
        var (trainImages, trainLabels, _, _) = data.Tensors;
        return ErrorOn(network, trainImages, trainLabels, data.TrainCount - validation, validation, deterministic: true);
    }

    private static double ErrorOn(GatedNetwork network, Tensor images, Tensor labels, int first, int count, bool deterministic)
    {
        if (count == 0)
        {
            return double.NaN;
        }
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var gates = deterministic ? network.DeterministicGates() : network.MeanGates();
        var wrong = zeros(1, dtype: int64);
        for (var start = 0; start < count; start += Chunk)
        {
            var length = Math.Min(Chunk, count - start);
            var logits = network.Forward(network.ShapeInput(images.narrow(0, first + start, length)), gates);
            wrong.add_(logits.argmax(1).ne(labels.narrow(0, first + start, length)).sum());
        }
        return wrong.item<long>() / (double)count;
    }
}
