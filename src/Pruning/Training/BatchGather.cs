using Sweep.Pruning.Engine;
using static TorchSharp.torch;

namespace Sweep.Pruning.Training;

/// <summary>
/// A training batch's images and labels, copied by row from the shared data into two tensors made once per
/// trial. A step's tensors are valid until the next <see cref="Fill"/>. At batch 100 libtorch's index_select
/// allocated and filled new tensors every step, a tenth of a millisecond that is a tenth of a pruned
/// LeNet-300-100 step.
/// </summary>
internal sealed class BatchGather : IDisposable
{
    private readonly Tensor _images;
    private readonly Tensor _labels;
    private readonly int _features;

    public BatchGather(int batchSize, int features)
    {
        _features = features;
        _images = empty(batchSize, features).DetachFromDisposeScope();
        _labels = empty(new long[] { batchSize }, ScalarType.Int64).DetachFromDisposeScope();
    }

    /// <summary>
    /// Rows <paramref name="order"/>[<paramref name="start"/> .. + <paramref name="length"/>] of <paramref name="images"/>
    /// [N, features] and <paramref name="labels"/> [N]: views of this object's tensors of <paramref name="length"/> rows.
    /// </summary>
    public (Tensor Images, Tensor Labels) Fill(Tensor images, Tensor labels, ReadOnlySpan<long> order, int start, int length)
    {
        if (length > _labels.shape[0])
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, $"the batch holds {_labels.shape[0]} examples");
        }
        var source = TensorMemory.Floats(images);
        var sourceLabels = TensorMemory.Elements<long>(labels, ScalarType.Int64);
        var target = TensorMemory.Floats(_images);
        var targetLabels = TensorMemory.Elements<long>(_labels, ScalarType.Int64);
        for (var i = 0; i < length; i++)
        {
            var row = order[start + i];
            source.Slice(checked((int)(row * _features)), _features).CopyTo(target.Slice(i * _features, _features));
            targetLabels[i] = sourceLabels[(int)row];
        }
        return length == _labels.shape[0]
            ? (_images, _labels)
            : (_images.narrow(0, 0, length), _labels.narrow(0, 0, length));
    }

    public void Dispose()
    {
        _images.Dispose();
        _labels.Dispose();
    }
}
