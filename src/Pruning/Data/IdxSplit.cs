namespace Sweep.Pruning.Data;

/// <summary>
/// One split (train or test) of an image classification dataset, in the layout the trainer
/// feeds to tensors: images as float32 [Count, FeatureCount] scaled to [0, 1], labels as int64.
/// </summary>
public sealed class IdxSplit
{
    public IdxSplit(float[] images, long[] labels, int rows, int columns)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        if (images.Length != (long)labels.Length * rows * columns)
        {
            throw new ArgumentException(
                $"{images.Length} pixel values do not make {labels.Length} images of {rows}x{columns}.", nameof(images));
        }
        Images = images;
        Labels = labels;
        Rows = rows;
        Columns = columns;
    }

    /// <summary>Pixel values, row-major [Count, FeatureCount], each in [0, 1].</summary>
    public float[] Images { get; }

    /// <summary>Class labels, one per image.</summary>
    public long[] Labels { get; }

    public int Rows { get; }

    public int Columns { get; }

    /// <summary>Number of examples.</summary>
    public int Count => Labels.Length;

    /// <summary>Values per example (rows x columns).</summary>
    public int FeatureCount => Rows * Columns;

    /// <summary>The pixel values of example <paramref name="index"/>.</summary>
    public ReadOnlySpan<float> Image(int index) => Images.AsSpan(index * FeatureCount, FeatureCount);

    /// <summary>Builds a split from an image file and a label file already read and validated alone.</summary>
    internal static IdxSplit From(IdxArray images, IdxArray labels)
    {
        if (images.Count != labels.Count)
        {
            throw new DatasetFormatException(labels.Path,
                $"label count {labels.Count} does not match image count {images.Count} in {images.Path}.");
        }
        var pixels = new float[images.Data.Length];
        ScaleToUnit(images.Data, pixels);
        var classes = new long[labels.Data.Length];
        for (var i = 0; i < classes.Length; i++)
        {
            classes[i] = labels.Data[i];
        }
        return new IdxSplit(pixels, classes, images.Dimensions[1], images.Dimensions[2]);
    }

    /// <summary>value / 255f for every byte: correctly rounded, so 255 maps to exactly 1.</summary>
    private static readonly float[] UnitScale = Enumerable.Range(0, 256).Select(b => b / 255f).ToArray();

    private static void ScaleToUnit(ReadOnlySpan<byte> source, Span<float> destination)
    {
        var table = UnitScale;
        for (var i = 0; i < source.Length; i++)
        {
            destination[i] = table[source[i]];
        }
    }
}
