using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Sweep.Pruning.Engine;
using TorchSharp;
using static TorchSharp.torch;

namespace Sweep.Pruning.Gates;

/// <summary>
/// The exact estimator's costliest case in one fused pass: the cross-entropy of every single-gate
/// flip of a fully connected layer l whose next layer j is the last hidden one (LeNet-300-100's
/// first layer). Flipping group g adds s_bg W_j[:, g] to example b's affine output z_b of layer j;
/// the flipped logits are b_out + W_out (gate_j ⊙ relu(z_b + s_bg W_j[:, g])). Done with tensor
/// operations this materializes a B x K x G tensor (12 MB at full width) and streams it through
/// memory four times; here a flipped group's hidden values live in registers, eight at a time, and go
/// straight into ten class accumulators, so the work is B x G x K x C multiply-adds at register speed,
/// and a group whose unit is off for an example (its flip adds nothing) costs none of them.
/// </summary>
internal static class FlipLossKernel
{
    /// <summary>Whether the kernel runs at vector speed here (otherwise the tensor path is faster).</summary>
    public static bool IsAvailable => Vector256.IsHardwareAccelerated && Avx.IsSupported;

    /// <summary>
    /// Per example and group, the loss with that group flipped: <paramref name="signed"/> [B, G] is
    /// s_bg (the flipped activation's signed value), <paramref name="linear"/> [B, K] layer j's affine
    /// output as sampled, <paramref name="weight"/> [K, G] layer j's weights (columns of the flipped
    /// groups), <paramref name="gates"/> [B, K] layer j's sampled gates, <paramref name="outWeight"/> [C, K]
    /// and <paramref name="outBias"/> [C] the output layer, <paramref name="labels"/> [B]. Returns [B, G].
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Tensor FlippedLoss(Tensor signed, Tensor linear, Tensor weight, Tensor gates, Tensor outWeight, Tensor outBias, Tensor labels)
    {
        var batch = (int)signed.shape[0];
        var groups = (int)signed.shape[1];
        var hidden = (int)linear.shape[1];
        var classes = (int)outWeight.shape[0];
        var paddedHidden = FlipLossSpans.PaddedHidden(hidden);

        var pool = ArrayPool<float>.Shared;
        var weightT = pool.Rent(groups * paddedHidden);
        var work = pool.Rent(FlipLossSpans.WorkSize(hidden, classes));
        var result = new float[batch * groups];
        try
        {
            FlipLossSpans.TransposeWeights(TensorMemory.CopyFloats(weight), hidden, groups, weightT);
            var s = TensorMemory.CopyFloats(signed);
            var z = TensorMemory.CopyFloats(linear);
            var xi = TensorMemory.CopyFloats(gates);
            var wOut = TensorMemory.CopyFloats(outWeight);
            var bias = TensorMemory.CopyFloats(outBias);
            var label = CheckedLabels(labels, classes);
            FlipLossSpans.FlippedLoss(s, weightT, z, xi, wOut, bias, label, batch, groups, hidden, classes, work, new int[FlipLossSpans.PendingSize], result);
        }
        finally
        {
            pool.Return(weightT);
            pool.Return(work);
        }
        return tensor(result, new long[] { batch, groups });
    }

    /// <summary>
    /// The last hidden layer's case: flipping group g adds s_bg W_out[:, g] to example b's logits. <paramref name="signed"/>
    /// [B, G], <paramref name="logits"/> [B, C] as sampled, <paramref name="outWeight"/> [C, G], <paramref name="labels"/> [B].
    /// Returns the flipped losses [B, G].
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Tensor FlippedLossAtOutput(Tensor signed, Tensor logits, Tensor outWeight, Tensor labels)
    {
        var batch = (int)signed.shape[0];
        var groups = (int)signed.shape[1];
        var classes = (int)outWeight.shape[0];
        var paddedGroups = FlipLossSpans.PaddedOutputGroups(groups);
        var pool = ArrayPool<float>.Shared;
        var s = pool.Rent(batch * paddedGroups);
        var w = pool.Rent(classes * paddedGroups);
        var tile = pool.Rent(FlipLossSpans.OutputTileSize(classes));
        var result = new float[batch * groups];
        try
        {
            CopyPadded(signed, s, batch, groups, paddedGroups);
            CopyPadded(outWeight, w, classes, groups, paddedGroups);
            var sampled = TensorMemory.CopyFloats(logits);
            var label = CheckedLabels(labels, classes);
            FlipLossSpans.FlippedLossAtOutput(s, w, sampled, label, batch, groups, classes, tile, result);
        }
        finally
        {
            pool.Return(s);
            pool.Return(w);
            pool.Return(tile);
        }
        return tensor(result, new long[] { batch, groups });
    }

    /// <summary>The labels as class indices, each checked against 0..classes-1.</summary>
    public static int[] CheckedLabels(Tensor labels, int classes)
    {
        using var contiguous = labels.contiguous();
        var label = TensorMemory.Elements<long>(contiguous, ScalarType.Int64).ToArray();
        var bad = Array.FindIndex(label, y => y < 0 || y >= classes);
        if (bad >= 0)
        {
            throw new ArgumentException($"Label {label[bad]} of example {bad} is outside 0..{classes - 1}.", nameof(labels));
        }
        return label.Select(y => (int)y).ToArray();
    }

    // Copies a [rows, columns] tensor into rows of width `padded`, the extra columns zero.
    private static void CopyPadded(Tensor source, float[] target, int rows, int columns, int padded)
    {
        using var scope = NewDisposeScope();
        var values = padded == columns ? source.contiguous() : nn.functional.pad(source, [0, padded - columns]).contiguous();
        TensorMemory.Floats(values).CopyTo(target.AsSpan(0, rows * padded));
    }
}
