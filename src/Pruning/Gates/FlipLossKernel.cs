using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
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
/// memory four times; here each 16-group tile's hidden values live in registers and go straight
/// into the class accumulators, so the work is B x G x K x C multiply-adds at register speed (16 groups x 5 classes per pass).
/// </summary>
internal static class FlipLossKernel
{
    private const int Lanes = 8;      // Vector256<float>
    private const int Tile = 2 * Lanes; // groups per accumulator pass
    private const int ClassBlock = 5; // class accumulators held in registers per pass

    /// <summary>Whether the kernel runs at vector speed here (otherwise the tensor path is faster).</summary>
    public static bool IsAvailable => Vector256.IsHardwareAccelerated;

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
        var paddedGroups = (groups + Tile - 1) / Tile * Tile;
        var paddedClasses = (classes + ClassBlock - 1) / ClassBlock * ClassBlock;

        var pool = ArrayPool<float>.Shared;
        var s = pool.Rent(batch * paddedGroups);
        var w = pool.Rent(hidden * paddedGroups);
        var z = pool.Rent(batch * hidden);
        var xi = pool.Rent(batch * hidden);
        var wOut = pool.Rent(classes * hidden);
        var gatedOut = pool.Rent(hidden * paddedClasses);
        var logits = pool.Rent(paddedClasses * Tile);
        var result = new float[batch * groups];
        try
        {
            // Zero-padded group columns compute harmless losses that are never written out.
            CopyPadded(signed, s, batch, groups, paddedGroups);
            CopyPadded(weight, w, hidden, groups, paddedGroups);
            CopyPadded(linear, z, batch, hidden, hidden);
            CopyPadded(gates, xi, batch, hidden, hidden);
            CopyPadded(outWeight, wOut, classes, hidden, hidden);
            var bias = TensorMemory.CopyFloats(outBias);
            var label = CheckedLabels(labels, classes);
            var active = new int[hidden];
            for (var b = 0; b < batch; b++)
            {
                // The example's gates folded into the output weights, [K, C padded]; gated-off units are skipped.
                var count = 0;
                Array.Clear(gatedOut, 0, hidden * paddedClasses);
                for (var k = 0; k < hidden; k++)
                {
                    var gate = xi[b * hidden + k];
                    if (gate == 0)
                    {
                        continue;
                    }
                    active[count++] = k;
                    for (var c = 0; c < classes; c++)
                    {
                        gatedOut[k * paddedClasses + c] = wOut[c * hidden + k] * gate;
                    }
                }
                for (var g0 = 0; g0 < paddedGroups; g0 += Tile)
                {
                    for (var c0 = 0; c0 < paddedClasses; c0 += ClassBlock)
                    {
                        AccumulateLogits(s, w, z, gatedOut, active.AsSpan(0, count), b, g0, c0, hidden, paddedGroups, paddedClasses, logits);
                    }
                    for (var half = 0; half < 2 && g0 + half * Lanes < groups; half++)
                    {
                        var first = g0 + half * Lanes;
                        WriteLosses(logits, half, bias, classes, label[b], result.AsSpan(b * groups), first, Math.Min(Lanes, groups - first));
                    }
                }
            }
        }
        finally
        {
            pool.Return(s);
            pool.Return(w);
            pool.Return(z);
            pool.Return(xi);
            pool.Return(wOut);
            pool.Return(gatedOut);
            pool.Return(logits);
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
        var paddedGroups = (groups + Lanes - 1) / Lanes * Lanes;
        var pool = ArrayPool<float>.Shared;
        var s = pool.Rent(batch * paddedGroups);
        var w = pool.Rent(classes * paddedGroups);
        var tile = pool.Rent(classes * Tile);
        var result = new float[batch * groups];
        try
        {
            CopyPadded(signed, s, batch, groups, paddedGroups);
            CopyPadded(outWeight, w, classes, groups, paddedGroups);
            var sampled = TensorMemory.CopyFloats(logits);
            var label = CheckedLabels(labels, classes);
            var noBias = new float[classes];
            ref var sRef = ref MemoryMarshal.GetArrayDataReference(s);
            ref var wRef = ref MemoryMarshal.GetArrayDataReference(w);
            ref var tRef = ref MemoryMarshal.GetArrayDataReference(tile);
            for (var b = 0; b < batch; b++)
            {
                for (var g0 = 0; g0 < paddedGroups; g0 += Lanes)
                {
                    var flip = Vector256.LoadUnsafe(ref sRef, (nuint)(b * paddedGroups + g0));
                    for (var c = 0; c < classes; c++)
                    {
                        Vector256.FusedMultiplyAdd(flip, Vector256.LoadUnsafe(ref wRef, (nuint)(c * paddedGroups + g0)), Vector256.Create(sampled[b * classes + c]))
                            .StoreUnsafe(ref tRef, (nuint)(c * Tile));
                    }
                    WriteLosses(tile, 0, noBias, classes, label[b], result.AsSpan(b * groups), g0, Math.Min(Lanes, groups - g0));
                }
            }
        }
        finally
        {
            pool.Return(s);
            pool.Return(w);
            pool.Return(tile);
        }
        return tensor(result, new long[] { batch, groups });
    }

    private static int[] CheckedLabels(Tensor labels, int classes)
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

    // Logits (without bias) of classes c0..c0+4 for groups g0..g0+15 of example b, into logits[(c * 2 + half) * Lanes + lane].
    // Two group vectors times five classes give ten independent accumulator chains: enough to hide the FMA latency.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AccumulateLogits(
        float[] s, float[] w, float[] z, float[] gatedOut, ReadOnlySpan<int> active,
        int b, int g0, int c0, int hidden, int paddedGroups, int paddedClasses, float[] logits)
    {
        ref var sRef = ref MemoryMarshal.GetArrayDataReference(s);
        ref var wRef = ref MemoryMarshal.GetArrayDataReference(w);
        ref var zRef = ref MemoryMarshal.GetArrayDataReference(z);
        ref var oRef = ref MemoryMarshal.GetArrayDataReference(gatedOut);
        var flipLo = Vector256.LoadUnsafe(ref sRef, (nuint)(b * paddedGroups + g0));
        var flipHi = Vector256.LoadUnsafe(ref sRef, (nuint)(b * paddedGroups + g0 + Lanes));
        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default;
        Vector256<float> b0 = default, b1 = default, b2 = default, b3 = default, b4 = default;
        var zRow = b * hidden;
        foreach (var k in active)
        {
            var zk = Vector256.Create(Unsafe.Add(ref zRef, zRow + k));
            var column = k * paddedGroups + g0;
            var hLo = Vector256.MaxNative(Vector256.FusedMultiplyAdd(flipLo, Vector256.LoadUnsafe(ref wRef, (nuint)column), zk), Vector256<float>.Zero);
            var hHi = Vector256.MaxNative(Vector256.FusedMultiplyAdd(flipHi, Vector256.LoadUnsafe(ref wRef, (nuint)(column + Lanes)), zk), Vector256<float>.Zero);
            ref var o = ref Unsafe.Add(ref oRef, k * paddedClasses + c0);
            var o0 = Vector256.Create(o);
            a0 = Vector256.FusedMultiplyAdd(o0, hLo, a0);
            b0 = Vector256.FusedMultiplyAdd(o0, hHi, b0);
            var o1 = Vector256.Create(Unsafe.Add(ref o, 1));
            a1 = Vector256.FusedMultiplyAdd(o1, hLo, a1);
            b1 = Vector256.FusedMultiplyAdd(o1, hHi, b1);
            var o2 = Vector256.Create(Unsafe.Add(ref o, 2));
            a2 = Vector256.FusedMultiplyAdd(o2, hLo, a2);
            b2 = Vector256.FusedMultiplyAdd(o2, hHi, b2);
            var o3 = Vector256.Create(Unsafe.Add(ref o, 3));
            a3 = Vector256.FusedMultiplyAdd(o3, hLo, a3);
            b3 = Vector256.FusedMultiplyAdd(o3, hHi, b3);
            var o4 = Vector256.Create(Unsafe.Add(ref o, 4));
            a4 = Vector256.FusedMultiplyAdd(o4, hLo, a4);
            b4 = Vector256.FusedMultiplyAdd(o4, hHi, b4);
        }
        ref var lRef = ref MemoryMarshal.GetArrayDataReference(logits);
        var at = (nuint)(c0 * 2 * Lanes);
        a0.StoreUnsafe(ref lRef, at);
        b0.StoreUnsafe(ref lRef, at + Lanes);
        a1.StoreUnsafe(ref lRef, at + 2 * Lanes);
        b1.StoreUnsafe(ref lRef, at + 3 * Lanes);
        a2.StoreUnsafe(ref lRef, at + 4 * Lanes);
        b2.StoreUnsafe(ref lRef, at + 5 * Lanes);
        a3.StoreUnsafe(ref lRef, at + 6 * Lanes);
        b3.StoreUnsafe(ref lRef, at + 7 * Lanes);
        a4.StoreUnsafe(ref lRef, at + 8 * Lanes);
        b4.StoreUnsafe(ref lRef, at + 9 * Lanes);
    }

    // Cross-entropy logsumexp_c(l_c) - l_label for the 8 groups of one half of a tile.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WriteLosses(float[] logits, int half, float[] bias, int classes, int label, Span<float> output, int g0, int count)
    {
        ref var lRef = ref MemoryMarshal.GetArrayDataReference(logits);
        nuint At(int c) => (nuint)((c * 2 + half) * Lanes);
        var max = Vector256.Create(float.NegativeInfinity);
        for (var c = 0; c < classes; c++)
        {
            var l = Vector256.LoadUnsafe(ref lRef, At(c)) + Vector256.Create(bias[c]);
            l.StoreUnsafe(ref lRef, At(c));
            max = Vector256.Max(max, l);
        }
        var sum = Vector256<float>.Zero;
        for (var c = 0; c < classes; c++)
        {
            sum += ExpNonPositive(Vector256.LoadUnsafe(ref lRef, At(c)) - max);
        }
        var loss = Vector256.Log(sum) + max - Vector256.LoadUnsafe(ref lRef, At(label));
        for (var lane = 0; lane < count; lane++)
        {
            output[g0 + lane] = loss.GetElement(lane);
        }
    }

    // e^x for x <= 0 (logits minus their maximum), float32 to about 2 ulp: Cephes' expf (range reduction by
    // ln 2, degree-6 polynomial, 2^n built in the exponent bits). With Vector256.Exp instead the kernel took
    // 1.9-2.9 ms against 1.6 ms at LeNet-300-100's full width, and the output-layer case 0.17 against 0.10 ms
    // (`Sweep.Bench kernels`).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> ExpNonPositive(Vector256<float> x)
    {
        x = Vector256.Max(x, Vector256.Create(-87.0f));
        var n = Vector256.Floor(Vector256.FusedMultiplyAdd(x, Vector256.Create(1.44269504088896341f), Vector256.Create(0.5f)));
        var r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-0.693359375f), x);
        r = Vector256.FusedMultiplyAdd(n, Vector256.Create(2.12194440e-4f), r);
        var p = Vector256.Create(1.9875691500e-4f);
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1.3981999507e-3f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(8.3334519073e-3f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(4.1665795894e-2f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1.6666665459e-1f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(5.0000001201e-1f));
        var y = Vector256.FusedMultiplyAdd(p, r * r, r) + Vector256<float>.One;
        var scale = Vector256.ShiftLeft(Vector256.ConvertToInt32(n) + Vector256.Create(127), 23).AsSingle();
        return y * scale;
    }

    // Copies a [rows, columns] tensor into rows of width `padded`, the extra columns zero.
    private static void CopyPadded(Tensor source, float[] target, int rows, int columns, int padded)
    {
        using var scope = NewDisposeScope();
        var values = padded == columns ? source.contiguous() : nn.functional.pad(source, [0, padded - columns]).contiguous();
        TensorMemory.Floats(values).CopyTo(target.AsSpan(0, rows * padded));
    }
}
