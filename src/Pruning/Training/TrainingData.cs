using static TorchSharp.torch;

namespace Sweep.Pruning.Training;

/// <summary>
/// In-memory classification data for training: images as rows of float32 features in [0, 1]
/// (row-major, <see cref="Height"/> x <see cref="Width"/> per example) and integer labels.
/// Loaded once per process and shared, read-only, by every trial.
/// </summary>
public sealed class TrainingData
{
    public TrainingData(float[] trainImages, long[] trainLabels, float[] testImages, long[] testLabels, int height, int width, int classes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
        var features = height * width;
        if (trainImages.Length != trainLabels.Length * features)
        {
            throw new ArgumentException($"train images hold {trainImages.Length} values, expected {trainLabels.Length} x {features}.", nameof(trainImages));
        }
        if (testImages.Length != testLabels.Length * features)
        {
            throw new ArgumentException($"test images hold {testImages.Length} values, expected {testLabels.Length} x {features}.", nameof(testImages));
        }
        foreach (var (name, labels) in new[] { ("train", trainLabels), ("test", testLabels) })
        {
            var bad = Array.FindIndex(labels, y => y < 0 || y >= classes);
            if (bad >= 0)
            {
                throw new ArgumentException($"{name} label {bad} is {labels[bad]}, outside [0, {classes}).", name == "train" ? nameof(trainLabels) : nameof(testLabels));
            }
        }
        TrainImages = trainImages;
        TrainLabels = trainLabels;
        TestImages = testImages;
        TestLabels = testLabels;
        Height = height;
        Width = width;
        Classes = classes;
        _tensors = new Lazy<(Tensor, Tensor, Tensor, Tensor)>(CreateTensors, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    private readonly Lazy<(Tensor TrainImages, Tensor TrainLabels, Tensor TestImages, Tensor TestLabels)> _tensors;

    /// <summary>
    /// Data from byte images (0-255, as IDX files store them), scaled to [0, 1].
    /// </summary>
    public static TrainingData FromBytes(byte[] trainImages, byte[] trainLabels, byte[] testImages, byte[] testLabels, int height, int width, int classes)
    {
        ArgumentNullException.ThrowIfNull(trainImages);
        ArgumentNullException.ThrowIfNull(trainLabels);
        ArgumentNullException.ThrowIfNull(testImages);
        ArgumentNullException.ThrowIfNull(testLabels);
        static float[] Scale(byte[] b)
        {
            var f = new float[b.Length];
            for (var i = 0; i < b.Length; i++)
            {
                f[i] = b[i] / 255f;
            }
            return f;
        }
        static long[] Labels(byte[] b) => b.Select(x => (long)x).ToArray();
        return new TrainingData(Scale(trainImages), Labels(trainLabels), Scale(testImages), Labels(testLabels), height, width, classes);
    }

    /// <summary>The arrays as tensors [N, features] and [N], made once per data set and shared read-only by every trial of the process.</summary>
    internal (Tensor TrainImages, Tensor TrainLabels, Tensor TestImages, Tensor TestLabels) Tensors => _tensors.Value;

    private (Tensor, Tensor, Tensor, Tensor) CreateTensors()
    {
        // Outside any dispose scope of the calling trial: these live as long as the data.
        return (
            tensor(TrainImages, new long[] { TrainCount, Features }).DetachFromDisposeScope(),
            tensor(TrainLabels, new long[] { TrainCount }).DetachFromDisposeScope(),
            tensor(TestImages, new long[] { TestCount, Features }).DetachFromDisposeScope(),
            tensor(TestLabels, new long[] { TestCount }).DetachFromDisposeScope());
    }

    public float[] TrainImages { get; }
    public long[] TrainLabels { get; }
    public float[] TestImages { get; }
    public long[] TestLabels { get; }
    public int Height { get; }
    public int Width { get; }
    public int Classes { get; }
    public int Features => Height * Width;
    public int TrainCount => TrainLabels.Length;
    public int TestCount => TestLabels.Length;
}
