using TorchSharp;
using static TorchSharp.torch;

namespace Sweep.Pruning.Training;

/// <summary>
/// In-memory classification data for training: images as rows of float32 features in [0, 1]
/// (row-major, <see cref="Height"/> x <see cref="Width"/> per example) and integer labels.
/// Loaded once per process and shared, read-only, by every trial. It keeps only the tensors (the
/// arrays it was made from belong to the caller).
/// </summary>
public sealed class TrainingData
{
    private readonly (Tensor TrainImages, Tensor TrainLabels, Tensor TestImages, Tensor TestLabels) _tensors;

    public TrainingData(float[] trainImages, long[] trainLabels, float[] testImages, long[] testLabels, int height, int width, int classes)
        : this(ImagesTensor(trainImages, trainLabels.Length, height * width, "train"), trainLabels,
               ImagesTensor(testImages, testLabels.Length, height * width, "test"), testLabels, height, width, classes)
    {
    }

    private TrainingData(Tensor trainImages, long[] trainLabels, Tensor testImages, long[] testLabels, int height, int width, int classes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
        foreach (var (name, labels) in new[] { ("train", trainLabels), ("test", testLabels) })
        {
            var bad = Array.FindIndex(labels, y => y < 0 || y >= classes);
            if (bad >= 0)
            {
                throw new ArgumentException($"{name} label {bad} is {labels[bad]}, outside [0, {classes}).", name == "train" ? nameof(trainLabels) : nameof(testLabels));
            }
        }
        Height = height;
        Width = width;
        Classes = classes;
        TrainCount = trainLabels.Length;
        TestCount = testLabels.Length;
        // Outside any dispose scope of the caller: these live as long as the data.
        _tensors = (
            trainImages.DetachFromDisposeScope(),
            tensor(trainLabels, new long[] { TrainCount }).DetachFromDisposeScope(),
            testImages.DetachFromDisposeScope(),
            tensor(testLabels, new long[] { TestCount }).DetachFromDisposeScope());
    }

    /// <summary>
    /// Data from byte images (0-255, as IDX files store them), scaled to [0, 1] by libtorch (no float
    /// copy on the managed heap).
    /// </summary>
    public static TrainingData FromBytes(byte[] trainImages, byte[] trainLabels, byte[] testImages, byte[] testLabels, int height, int width, int classes)
    {
        ArgumentNullException.ThrowIfNull(trainImages);
        ArgumentNullException.ThrowIfNull(trainLabels);
        ArgumentNullException.ThrowIfNull(testImages);
        ArgumentNullException.ThrowIfNull(testLabels);
        var features = height * width;
        static long[] Labels(byte[] b) => b.Select(x => (long)x).ToArray();
        return new TrainingData(ScaledImages(trainImages, trainLabels.Length, features, "train"), Labels(trainLabels),
            ScaledImages(testImages, testLabels.Length, features, "test"), Labels(testLabels), height, width, classes);
    }

    /// <summary>The data as tensors [N, features] and [N], shared read-only by every trial of the process.</summary>
    internal (Tensor TrainImages, Tensor TrainLabels, Tensor TestImages, Tensor TestLabels) Tensors => _tensors;

    public int Height { get; }
    public int Width { get; }
    public int Classes { get; }
    public int Features => Height * Width;
    public int TrainCount { get; }
    public int TestCount { get; }

    private static Tensor ImagesTensor(float[] images, int count, int features, string split)
    {
        ArgumentNullException.ThrowIfNull(images);
        CheckLength(images.Length, count, features, split);
        return tensor(images, new long[] { count, features });
    }

    private static Tensor ScaledImages(byte[] images, int count, int features, string split)
    {
        CheckLength(images.Length, count, features, split);
        using var raw = tensor(images, new long[] { count, features });
        return raw.to_type(ScalarType.Float32).div_(255f);
    }

    private static void CheckLength(int length, int count, int features, string split)
    {
        if (length != count * features)
        {
            throw new ArgumentException($"{split} images hold {length} values, expected {count} x {features}.", split + "Images");
        }
    }
}
