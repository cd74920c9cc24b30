using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Sweep.Pruning.Engine;
using Sweep.Pruning.Models;
using static TorchSharp.torch;

namespace Sweep.Pruning.Gates;

/// <summary>
/// The exact estimator's flips of a convolution l whose next layer j is a convolution followed by fully
/// connected layers (LeNet-5-Caffe's conv1), computed group by group in a channels-last layout that stays
/// in cache: flipping group g of layer l adds conv(s_bg, W_j[:, g]) to layer j's affine output, a single-channel
/// convolution of channel g by the direct kernels (DirectConvolutionKernels, channels-last output); the sum with the
/// sampled output, layer j's max-pooling, ReLU and gates then run in one pass writing the flattened features
/// of every (g, b) row, which go through the fully connected layers as one batch (the first one's columns
/// permuted once to the channels-last order). The tensor path this replaces materialized B x G x O x S x S
/// twice and pooled it in NCHW; the values computed are the same sums, in a different order.
/// </summary>
internal static class ConvolutionFlips
{
    /// <summary>Whether layer j's flips (those of layer j - 1) can run here: j a convolution after a convolution, fully connected layers after it, cross-entropy, and the direct kernels' vectors on this CPU.</summary>
    public static bool Applies(GatedNetwork network, int j, PerExampleLoss lossFunction)
    {
        var layers = network.Layers;
        if (!DirectConvolution.IsAvailable || !ReferenceEquals(lossFunction, Losses.CrossEntropy) || j < 1 || j + 1 >= layers.Count
            || layers[j].Kind != LayerKind.Convolution || layers[j - 1].Kind != LayerKind.Convolution)
        {
            return false;
        }
        for (var k = j + 1; k < layers.Count; k++)
        {
            if (layers[k].Kind != LayerKind.FullyConnected)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// Per example and group, the loss with that group flipped: <paramref name="signed"/> [B, G, H, H] is the
    /// flipped activation's signed value s_bg, <paramref name="weight"/> [O, G, k, k] layer j's weights for those
    /// groups, <paramref name="linear"/> [B, O, S, S] layer j's affine output as sampled, <paramref name="gates"/>
    /// the sampled gates per layer ([B, G_k], null where ungated), <paramref name="labels"/> [B]. Returns [B, G].
    /// </summary>
    public static Tensor FlippedLoss(GatedNetwork network, int j, Tensor signed, Tensor weight, Tensor linear, IReadOnlyList<Tensor?> gates, Tensor labels)
    {
        using var scope = NewDisposeScope();
        var layer = network.Layers[j];
        var batch = (int)signed.shape[0];
        var groups = (int)signed.shape[1];
        var size = (int)signed.shape[2];
        var outputs = (int)weight.shape[0];
        var kernel = (int)weight.shape[2];
        var convSize = size - kernel + 1;
        var pool = layer.Pool;
        var pooled = convSize / pool;
        var positions = convSize * convSize;
        var features = pooled * pooled * outputs;

        var s = signed.contiguous();
        var sampled = linear.permute(0, 2, 3, 1).contiguous();   // channels-last [B, S, S, O]
        var gate = gates[j] is { } gj ? gj.contiguous() : ones(batch, outputs);
        var rows = empty(groups, batch, features);
        var padded = DirectConvolutionKernels.Padded(outputs);
        var delta = empty(batch * positions, padded);
        // Channel g of every example read in place as single-channel images, through the direct kernels with group g's
        // weights [k, k, 1, Op] (output channels padded to whole vectors).
        var kernels = nn.functional.pad(weight.detach().permute(1, 2, 3, 0), [0, padded - outputs]).contiguous();   // [G, k, k, Op]
        using var noBias = zeros(padded);
        for (var g = 0; g < groups; g++)
        {
            DirectConvolutionKernels.Correlate(TensorMemory.Floats(s).Slice(g * size * size), batch, size, size, 1,
                TensorMemory.Floats(kernels).Slice(g * kernel * kernel * padded, kernel * kernel * padded), kernel, TensorMemory.Floats(noBias),
                padded, TensorMemory.Floats(delta), convSize, 0, imageStride: groups * size * size);
            PoolGate(TensorMemory.Floats(sampled), TensorMemory.Floats(delta), padded, TensorMemory.Floats(gate),
                TensorMemory.Floats(rows).Slice(g * batch * features, batch * features), batch, convSize, pool, pooled, outputs);
        }

        // Layer j+1 reads the flattened [O, Q, Q] features; the rows hold them as [Q, Q, O].
        var first = network.Layers[j + 1];
        var firstWeight = first.Weight.detach();
        var permuted = firstWeight.view(firstWeight.shape[0], outputs, pooled * pooled).permute(0, 2, 1).reshape(firstWeight.shape[0], features);
        var z = nn.functional.linear(rows.view(groups * batch, features), permuted, first.Bias.detach());
        return DownstreamLoss(network, j + 1, z, groups, gates, labels).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// [B, G] losses of the flipped rows [G*B, O_k] (group-major: row g*B + b) of fully connected layer k's affine
    /// output, through the later fully connected layers with each example's sampled gates; <paramref name="z"/> is
    /// overwritten.
    /// </summary>
    internal static Tensor DownstreamLoss(GatedNetwork network, int k, Tensor z, int groups, IReadOnlyList<Tensor?> gates, Tensor labels)
    {
        var batch = labels.shape[0];
        for (; k < network.Layers.Count - 1; k++)
        {
            // z is this pass's own tensor: activation and gates in place.
            var a = z.relu_();
            if (gates[k] is { } gk)
            {
                a.view(groups, batch, -1).mul_(gk.unsqueeze(0));
            }
            z = network.Layers[k + 1].Linear(a);
        }
        var loss = Losses.CrossEntropy(z, labels.repeat(groups));
        return loss.view(groups, batch).t().contiguous();
    }

    // rows[b, (qy*Q + qx)*O + o] = gate[b, o] * relu(max over the pool window of sampled + delta), channels-last; delta's
    // pixels lie deltaStride floats apart (its channels padded).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PoolGate(ReadOnlySpan<float> sampled, ReadOnlySpan<float> delta, int deltaStride, ReadOnlySpan<float> gate, Span<float> rows,
        int batch, int convSize, int pool, int pooled, int outputs)
    {
        var window = new int[pool * pool];
        Span<float> best = stackalloc float[outputs];
        for (var b = 0; b < batch; b++)
        {
            var gateRow = gate.Slice(b * outputs, outputs);
            for (var qy = 0; qy < pooled; qy++)
            {
                for (var qx = 0; qx < pooled; qx++)
                {
                    for (var py = 0; py < pool; py++)
                    {
                        for (var px = 0; px < pool; px++)
                        {
                            window[py * pool + px] = (b * convSize + qy * pool + py) * convSize + qx * pool + px;
                        }
                    }
                    best.Fill(float.NegativeInfinity);
                    foreach (var pixel in window)
                    {
                        var sampledRow = sampled.Slice(pixel * outputs, outputs);
                        var deltaRow = delta.Slice(pixel * deltaStride, outputs);
                        var o = 0;
                        for (; o <= outputs - Vector256<float>.Count; o += Vector256<float>.Count)
                        {
                            var v = Vector256.Create(sampledRow.Slice(o)) + Vector256.Create(deltaRow.Slice(o));
                            Vector256.Max(Vector256.Create((ReadOnlySpan<float>)best.Slice(o)), v).CopyTo(best.Slice(o));
                        }
                        for (; o < outputs; o++)
                        {
                            best[o] = MathF.Max(best[o], sampledRow[o] + deltaRow[o]);
                        }
                    }
                    var target = rows.Slice((b * pooled * pooled + qy * pooled + qx) * outputs, outputs);
                    for (var o = 0; o < outputs; o++)
                    {
                        target[o] = MathF.Max(best[o], 0f) * gateRow[o];
                    }
                }
            }
        }
    }
}
