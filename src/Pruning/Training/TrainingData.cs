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
        TrainImages = trainImages;
        TrainLabels = trainLabels;
        TestImages = testImages;
        TestLabels = testLabels;
        Height = height;
        Width = width;
        Classes = classes;
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
