using Sweep.Pruning.Models;

namespace Sweep.Pruning.Engine;

/// <summary>
/// Every convolution shape LeNet-5-Caffe (28x28 inputs, conv1 then conv2, 5x5 kernels) runs in training:
/// at widths 0.5 to 4 and at narrower, odd channel counts after compaction; the training batch (both
/// gradients), one example, the test evaluation's chunks of 1000 (forward) and the exact estimator's grouped
/// convolutions in its chunks (forward). oneDNN picks a kernel per shape, so a correct kernel on one shape
/// says little about another.
/// </summary>
public static class ConvolutionShapes
{
    public const int TrainingBatch = 100;
    public const int EvaluationChunk = 1000;
    private const int ImageSize = 28;
    private const int Kernel = 5;
    private const int Conv2Input = (ImageSize - Kernel + 1) / 2; // 12: conv1's output after 2x2 pooling
    private const int Conv2Output = Conv2Input - Kernel + 1;     // 8
    private const int EstimatorChunkElements = 1 << 22;         // ExactEstimator's chunk budget
    private const int EvaluationReference = 20;

    public static readonly double[] Widths = [0.5, 1, 1.5, 2, 3, 4];

    /// <summary>(conv1, conv2) channel counts of compacted networks: narrow, odd, and unbalanced.</summary>
    public static readonly (int Conv1, int Conv2)[] Compacted = [(1, 1), (3, 7), (7, 19), (13, 37), (17, 61), (5, 150)];

    /// <summary>The shape the training process re-checks at its first convolution: conv2 at width 1, one training batch.</summary>
    public static ConvolutionShape SelfCheck { get; } = new("conv2 width 1", TrainingBatch, 20, 50, Conv2Input);

    /// <summary>The shapes the per-machine check covers, all at one thread, then the width-1 training shapes at <paramref name="threads"/> threads when more than one.</summary>
    public static IReadOnlyList<ConvolutionShape> All(int threads)
    {
        var shapes = new List<ConvolutionShape>();
        foreach (var width in Widths)
        {
            AddNetwork(shapes, $"width {width.ToString(System.Globalization.CultureInfo.InvariantCulture)}",
                Architectures.Scale(20, width), Architectures.Scale(50, width));
        }
        foreach (var (conv1, conv2) in Compacted)
        {
            AddNetwork(shapes, $"compacted {conv1}-{conv2}", conv1, conv2);
        }
        if (threads > 1)
        {
            shapes.Add(new ConvolutionShape("conv1 width 1", TrainingBatch, 1, 20, ImageSize, Threads: threads));
            shapes.Add(SelfCheck with { Threads = threads });
        }
        return shapes;
    }

    private static void AddNetwork(List<ConvolutionShape> shapes, string label, int conv1, int conv2)
    {
        foreach (var (name, inputs, outputs, size) in new[] { ("conv1", 1, conv1, ImageSize), ("conv2", conv1, conv2, Conv2Input) })
        {
            shapes.Add(new ConvolutionShape($"{name} {label}", 1, inputs, outputs, size));
            shapes.Add(new ConvolutionShape($"{name} {label}", TrainingBatch, inputs, outputs, size));
            shapes.Add(new ConvolutionShape($"{name} {label}", EvaluationChunk, inputs, outputs, size, Gradients: false, ReferenceExamples: EvaluationReference));
        }
        // The exact estimator's flips: input gates through conv1 (groups 1), conv1's channels through conv2 (grouped).
        foreach (var length in ChunkLengths(conv1 * (ImageSize - Kernel + 1) * (ImageSize - Kernel + 1)))
        {
            shapes.Add(new ConvolutionShape($"estimator conv1 {label}", length, 1, conv1, ImageSize, Gradients: false));
        }
        foreach (var length in ChunkLengths((long)conv1 * conv2 * Conv2Output * Conv2Output))
        {
            shapes.Add(new ConvolutionShape($"estimator conv2 {label}", length, conv1, conv1 * conv2, Conv2Input, Groups: conv1, Gradients: false));
        }
    }

    // The example counts of a training batch's chunks when one example's flipped output has perExample elements.
    private static IEnumerable<int> ChunkLengths(long perExample)
    {
        var chunk = (int)Math.Min(TrainingBatch, Math.Max(1L, EstimatorChunkElements / Math.Max(1L, perExample)));
        yield return chunk;
        if (TrainingBatch % chunk != 0)
        {
            yield return TrainingBatch % chunk;
        }
    }
}
