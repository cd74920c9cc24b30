using System.Numerics;

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
        var pixels = GC.AllocateUninitializedArray<float>(images.Data.Length);
        ScaleToUnit(images.Data, pixels);
        var classes = new long[labels.Data.Length];
        for (var i = 0; i < classes.Length; i++)
        {
            classes[i] = labels.Data[i];
        }
        return new IdxSplit(pixels, classes, images.Dimensions[1], images.Dimensions[2]);
    }

    /// <summary>
    /// destination[i] = source[i] / 255f. Vector division is IEEE-exact per lane, so the vector path
    /// gives the same correctly rounded values as the scalar tail (0 maps to 0, 255 to exactly 1).
    /// </summary>
    private static void ScaleToUnit(ReadOnlySpan<byte> source, Span<float> destination)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var divisor = new Vector<float>(255f);
            var lane = Vector<float>.Count;
            for (; i <= source.Length - Vector<byte>.Count; i += Vector<byte>.Count)
            {
                var bytes = new Vector<byte>(source[i..]);
                Vector.Widen(bytes, out var low16, out var high16);
                Vector.Widen(low16, out var q0, out var q1);
                Vector.Widen(high16, out var q2, out var q3);
                (Vector.ConvertToSingle(q0) / divisor).CopyTo(destination[i..]);
                (Vector.ConvertToSingle(q1) / divisor).CopyTo(destination[(i + lane)..]);
                (Vector.ConvertToSingle(q2) / divisor).CopyTo(destination[(i + (2 * lane))..]);
                (Vector.ConvertToSingle(q3) / divisor).CopyTo(destination[(i + (3 * lane))..]);
            }
        }
        for (; i < source.Length; i++)
        {
            destination[i] = source[i] / 255f;
        }
    }
}
