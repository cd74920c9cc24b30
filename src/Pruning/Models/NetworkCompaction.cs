using TorchSharp;
using static TorchSharp.torch;

namespace Sweep.Pruning.Models;

/// <summary>
/// Compaction: pruned groups (alive = 0) leave the tensors, so later steps compute only with what is
/// still in the network. The layers' tensors are replaced by new ones (outside any dispose scope).
/// </summary>
internal static class NetworkCompaction
{
    /// <summary>
    /// Removes pruned groups of <paramref name="network"/> physically: rows of their layer's weights, bias, theta
    /// and alive flags and the matching inputs of the next layer (columns, input channels, or flattened blocks).
    /// Returns the slices applied, for the optimizer state. Throws <see cref="LayerCollapsedException"/> when a
    /// layer would lose its last group.
    /// </summary>
    public static IReadOnlyList<SliceOperation> Compact(GatedNetwork network)
    {
        var operations = new List<SliceOperation>();
        foreach (var i in network.GatedIndices.ToArray())
        {
            var layer = network.Layers[i];
            var alive = layer.Alive!.data<float>().ToArray();
            var keep = Enumerable.Range(0, alive.Length).Where(g => alive[g] > 0).Select(g => (long)g).ToArray();
            if (keep.Length == 0)
            {
                throw new LayerCollapsedException(layer.Name);
            }
            if (keep.Length == alive.Length)
            {
                continue;
            }
            var rows = tensor(keep);
            if (layer.HasParameters)
            {
                layer.Weight = Replace(layer.Weight, 0, rows, grad: true);
                layer.Bias = Replace(layer.Bias, 0, rows, grad: true);
                operations.Add(new SliceOperation(network.ParameterIndex(i), 0, rows));
                operations.Add(new SliceOperation(network.ParameterIndex(i) + 1, 0, rows));
            }
            else
            {
                layer.Features = Replace(layer.Features!, 0, rows, grad: false);
            }
            layer.Theta = Replace(layer.Theta!, 0, rows, grad: false);
            layer.Alive = Replace(layer.Alive!, 0, rows, grad: false);

            var next = network.Layers[i + 1];
            var block = next.InputBlock;
            var columns = block == 1
                ? rows
                : tensor(keep.SelectMany(g => Enumerable.Range(0, block).Select(k => g * block + k)).ToArray());
            next.Weight = Replace(next.Weight, 1, columns, grad: true);
            operations.Add(new SliceOperation(network.ParameterIndex(i + 1), 1, columns));
        }
        return operations;
    }

    private static Tensor Replace(Tensor old, int dim, Tensor index, bool grad)
    {
        Tensor result;
        using (no_grad())
        {
            result = old.index_select(dim, index).contiguous().DetachFromDisposeScope();
        }
        if (grad)
        {
            result.requires_grad_(true);
        }
        old.Dispose();
        return result;
    }
}
