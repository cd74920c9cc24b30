using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Sweep.Pruning.Gates;

/// <summary>
/// The register kernels of <see cref="FlipLossKernel"/> on plain memory in their padded layouts, for callers that
/// keep their operands in that layout already (the fused training step of a fully connected network): no
/// tensor is touched, so a call costs only its arithmetic.
/// </summary>
internal static class FlipLossSpans
{
    private const int Lanes = 8;        // Vector256<float>
    private const int Tile = 2 * Lanes; // the output case's work area: two vectors per class
    private const int ClassBlock = 10;  // class accumulators held in registers per pass over a flipped unit's hidden layer

    /// <summary>Hidden units rounded up to whole vectors: the row width of <c>weightT</c> in the span form of <see cref="FlipLossKernel.FlippedLoss"/>.</summary>
    public static int PaddedHidden(int hidden) => (hidden + Lanes - 1) / Lanes * Lanes;

    /// <summary>
    /// Layer j's weights <paramref name="weight"/> [K, G] in the span form's layout <paramref name="weightT"/>
    /// [G, <see cref="PaddedHidden"/>]: group g's column as a row, its padding set to zero.
    /// </summary>
    public static void TransposeWeights(ReadOnlySpan<float> weight, int hidden, int groups, Span<float> weightT)
    {
        var padded = PaddedHidden(hidden);
        for (var g = 0; g < groups; g++)
        {
            weightT.Slice(g * padded + hidden, padded - hidden).Clear();
        }
        for (var k = 0; k < hidden; k++)
        {
            var row = weight.Slice(k * groups, groups);
            for (var g = 0; g < groups; g++)
            {
                weightT[g * padded + k] = row[g];
            }
        }
    }

    /// <summary>Elements of the span form's <c>pending</c> work area.</summary>
    public static int PendingSize => Lanes;

    /// <summary>Elements of the span form's <c>work</c> area.</summary>
    public static int WorkSize(int hidden, int classes) => PaddedHidden(hidden) * (1 + PaddedClasses(classes)) + PaddedClasses(classes) * Lanes;

    // Classes rounded up to whole accumulator blocks; the padding rows of the gated output weights are zero.
    private static int PaddedClasses(int classes) => (classes + ClassBlock - 1) / ClassBlock * ClassBlock;

    /// <summary>
    /// The span form: <paramref name="s"/> [B, G] the signed flips, <paramref name="weightT"/> [G, <see cref="PaddedHidden"/>] layer j's
    /// weights transposed (group g's column as a row, zero padding), <paramref name="z"/> and <paramref name="xi"/> [B, K],
    /// <paramref name="wOut"/> [C, K], labels already checked; <paramref name="work"/> (<see cref="WorkSize"/>) and
    /// <paramref name="pending"/> (<see cref="PendingSize"/>) are work areas. Writes the flipped losses to <paramref name="result"/> [B, G].
    /// A group whose signed flip is 0 (its unit's ReLU is off for that example) changes nothing, so it gets the
    /// example's unflipped loss, computed once by the same arithmetic; only the others pass through layer j.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void FlippedLoss(
        ReadOnlySpan<float> s, ReadOnlySpan<float> weightT, ReadOnlySpan<float> z, ReadOnlySpan<float> xi, ReadOnlySpan<float> wOut,
        ReadOnlySpan<float> bias, ReadOnlySpan<int> label, int batch, int groups, int hidden, int classes,
        Span<float> work, Span<int> pending, Span<float> result)
    {
        var paddedHidden = PaddedHidden(hidden);
        var paddedClasses = PaddedClasses(classes);
        var zRow = work.Slice(0, paddedHidden);
        var gatedOut = work.Slice(paddedHidden, paddedClasses * paddedHidden);
        var logits = work.Slice(paddedHidden * (1 + paddedClasses), paddedClasses * Lanes);
        Span<float> unflipped = stackalloc float[1];
        zRow.Clear();
        gatedOut.Clear();
        for (var b = 0; b < batch; b++)
        {
            // The example's affine outputs and its gates folded into the output weights, [C, K] (padding stays zero).
            z.Slice(b * hidden, hidden).CopyTo(zRow);
            for (var c = 0; c < classes; c++)
            {
                TensorPrimitives.Multiply(wOut.Slice(c * hidden, hidden), xi.Slice(b * hidden, hidden), gatedOut.Slice(c * paddedHidden, hidden));
            }
            var row = result.Slice(b * groups, groups);

            // The unflipped loss: lane 0 of a tile of its own.
            AccumulateLogits(0f, weightT.Slice(0, paddedHidden), zRow, gatedOut, paddedHidden, paddedClasses, logits, 0);
            WriteLosses(logits, 0, Lanes, bias, classes, label[b], unflipped, 0, 1);

            var count = 0;
            for (var g = 0; g < groups; g++)
            {
                var flip = s[b * groups + g];
                if (flip == 0)
                {
                    row[g] = unflipped[0];
                    continue;
                }
                AccumulateLogits(flip, weightT.Slice(g * paddedHidden, paddedHidden), zRow, gatedOut, paddedHidden, paddedClasses, logits, count);
                pending[count++] = g;
                if (count == Lanes)
                {
                    WriteScattered(logits, bias, classes, label[b], row, pending, count);
                    count = 0;
                }
            }
            if (count > 0)
            {
                WriteScattered(logits, bias, classes, label[b], row, pending, count);
            }
        }
    }

    // The losses of the first `count` lanes of a tile, to the groups listed in `pending`.
    private static void WriteScattered(Span<float> logits, ReadOnlySpan<float> bias, int classes, int label, Span<float> row, ReadOnlySpan<int> pending, int count)
    {
        Span<float> losses = stackalloc float[Lanes];
        WriteLosses(logits, 0, Lanes, bias, classes, label, losses, 0, count);
        for (var lane = 0; lane < count; lane++)
        {
            row[pending[lane]] = losses[lane];
        }
    }

    /// <summary>Groups rounded up to whole vectors: the row width of the span form of <see cref="FlipLossKernel.FlippedLossAtOutput"/>.</summary>
    public static int PaddedOutputGroups(int groups) => (groups + Lanes - 1) / Lanes * Lanes;

    /// <summary>Elements of the span form's <c>tile</c> work area.</summary>
    public static int OutputTileSize(int classes) => classes * Tile;

    /// <summary>
    /// The span form: <paramref name="s"/> [B, <see cref="PaddedOutputGroups"/>] and <paramref name="w"/> [C, padded] with zero
    /// padding columns, <paramref name="sampled"/> [B, C] the sampled logits, labels already checked, <paramref name="tile"/>
    /// a work area (<see cref="OutputTileSize"/>). Writes the flipped losses to <paramref name="result"/> [B, G].
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void FlippedLossAtOutput(
        ReadOnlySpan<float> s, ReadOnlySpan<float> w, ReadOnlySpan<float> sampled, ReadOnlySpan<int> label,
        int batch, int groups, int classes, Span<float> tile, Span<float> result)
    {
        var paddedGroups = PaddedOutputGroups(groups);
        ReadOnlySpan<float> noBias = stackalloc float[classes];
        ref var sRef = ref MemoryMarshal.GetReference(s);
        ref var wRef = ref MemoryMarshal.GetReference(w);
        ref var tRef = ref MemoryMarshal.GetReference(tile);
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
                WriteLosses(tile, 0, Tile, noBias, classes, label[b], result.Slice(b * groups), g0, Math.Min(Lanes, groups - g0));
            }
        }
    }

    // The logits (without bias) of one flipped group, sum_k gatedOut[c, k] relu(z[k] + flip weightT[k]), into lane `lane`
    // of logits[c * Lanes + lane]. The sum runs over hidden units in vectors of 8: ten class accumulators (independent
    // FMA chains, enough to hide the FMA latency) share each vector of the flipped unit's hidden values.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AccumulateLogits(
        float flip, ReadOnlySpan<float> weightT, ReadOnlySpan<float> z, ReadOnlySpan<float> gatedOut, int paddedHidden, int paddedClasses,
        Span<float> logits, int lane)
    {
        ref var wRef = ref MemoryMarshal.GetReference(weightT);
        ref var zRef = ref MemoryMarshal.GetReference(z);
        ref var oRef = ref MemoryMarshal.GetReference(gatedOut);
        ref var lRef = ref MemoryMarshal.GetReference(logits);
        var s = Vector256.Create(flip);
        var stride = (nuint)paddedHidden;
        for (var c0 = 0; c0 < paddedClasses; c0 += ClassBlock)
        {
            Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default;
            Vector256<float> a5 = default, a6 = default, a7 = default, a8 = default, a9 = default;
            ref var o = ref Unsafe.Add(ref oRef, c0 * paddedHidden);
            for (nuint k = 0; k < stride; k += Lanes)
            {
                var h = Vector256.MaxNative(Vector256.FusedMultiplyAdd(s, Vector256.LoadUnsafe(ref wRef, k), Vector256.LoadUnsafe(ref zRef, k)), Vector256<float>.Zero);
                a0 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref o, k), h, a0);
                a1 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref o, k + stride), h, a1);
                a2 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref o, k + 2 * stride), h, a2);
                a3 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref o, k + 3 * stride), h, a3);
                a4 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref o, k + 4 * stride), h, a4);
                a5 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref o, k + 5 * stride), h, a5);
                a6 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref o, k + 6 * stride), h, a6);
                a7 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref o, k + 7 * stride), h, a7);
                a8 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref o, k + 8 * stride), h, a8);
                a9 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref o, k + 9 * stride), h, a9);
            }
            StoreSums(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, ref Unsafe.Add(ref lRef, c0 * Lanes + lane));
        }
    }

    // The ten accumulators' horizontal sums to l[c * Lanes], c = 0..9: pairwise horizontal adds reduce eight of them
    // into one vector (9 instructions instead of 8 separate reductions of 11).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreSums(
        Vector256<float> a0, Vector256<float> a1, Vector256<float> a2, Vector256<float> a3, Vector256<float> a4,
        Vector256<float> a5, Vector256<float> a6, Vector256<float> a7, Vector256<float> a8, Vector256<float> a9, ref float l)
    {
        var u0 = Avx.HorizontalAdd(Avx.HorizontalAdd(a0, a1), Avx.HorizontalAdd(a2, a3));
        var u1 = Avx.HorizontalAdd(Avx.HorizontalAdd(a4, a5), Avx.HorizontalAdd(a6, a7));
        var sums = Avx.Permute2x128(u0, u1, 0x20) + Avx.Permute2x128(u0, u1, 0x31);
        var last = Avx.HorizontalAdd(a8, a9);
        last = Avx.HorizontalAdd(last, last);
        var pair = last.GetLower() + last.GetUpper();
        for (var c = 0; c < Lanes; c++)
        {
            Unsafe.Add(ref l, c * Lanes) = sums.GetElement(c);
        }
        Unsafe.Add(ref l, 8 * Lanes) = pair.GetElement(0);
        Unsafe.Add(ref l, 9 * Lanes) = pair.GetElement(1);
    }

    // Cross-entropy logsumexp_c(l_c) - l_label for 8 groups whose logits lie at logits[offset + c * stride + lane].
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WriteLosses(Span<float> logits, int offset, int stride, ReadOnlySpan<float> bias, int classes, int label, Span<float> output, int g0, int count)
    {
        ref var lRef = ref MemoryMarshal.GetReference(logits);
        nuint At(int c) => (nuint)(offset + c * stride);
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
}
