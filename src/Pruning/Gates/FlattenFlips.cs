using Sweep.Pruning.Models;
using static TorchSharp.torch;

namespace Sweep.Pruning.Gates;

/// <summary>
/// The exact estimator's flips of a convolution l whose next layer j is fully connected over its flattened
/// channels (LeNet-5-Caffe's conv2 into fc1): flipping channel g adds W_j[:, g block] s_bg (its H*W
/// features) to example b's affine output, for every (g, b) one product of a batched matrix multiply
/// [G][B, H*W] x [G][H*W, O_j], laid out group-major so that the rows go through the later fully connected
/// layers as one batch. The tensor path this replaces held them as [B, O_j, G] and multiplied each
/// example's gated output weights separately; the sums are the same, in a different order.
/// </summary>
internal static class FlattenFlips
{
    /// <summary>Whether layer j's flips (those of layer j - 1) can run here: a convolution flattened into fully connected layer j, fully connected layers after it, cross-entropy.</summary>
    public static bool Applies(GatedNetwork network, int j, PerExampleLoss lossFunction)
    {
        var layers = network.Layers;
        if (!ReferenceEquals(lossFunction, Losses.CrossEntropy) || j < 1 || layers[j - 1].Kind != LayerKind.Convolution)
        {
            return false;
        }
        for (var k = j; k < layers.Count; k++)
        {
            if (layers[k].Kind != LayerKind.FullyConnected)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// Per example and group, the loss with that group flipped: <paramref name="signed"/> [B, G, H, W] the flipped
    /// activation's signed value, <paramref name="weight"/> [O, G, H*W] layer j's weights for those groups,
    /// <paramref name="linear"/> [B, O] layer j's affine output as sampled. Returns [B, G].
    /// </summary>
    public static Tensor FlippedLoss(GatedNetwork network, int j, Tensor signed, Tensor weight, Tensor linear, IReadOnlyList<Tensor?> gates, Tensor labels)
    {
        using var scope = NewDisposeScope();
        var batch = signed.shape[0];
        var groups = (int)signed.shape[1];
        var block = weight.shape[2];
        var s = signed.reshape(batch, groups, block).transpose(0, 1);    // [G, B, HW]
        var w = weight.permute(1, 2, 0);                                  // [G, HW, O]
        var z = bmm(s, w).add_(linear.unsqueeze(0));                     // [G, B, O]
        return ConvolutionFlips.DownstreamLoss(network, j, z.view(groups * batch, -1), groups, gates, labels).MoveToOuterDisposeScope();
    }
}
