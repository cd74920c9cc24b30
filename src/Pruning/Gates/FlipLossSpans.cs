using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Sweep.Pruning.Gates;

/// <summary>
/// The register kernels of <see cref="FlipLossKernel"/> on plain memory in their padded layouts, for callers that
/// keep their operands in that layout already (the fused training step of a fully connected network): no
/// tensor is touched, so a call costs only its arithmetic.
/// </summary>
internal static class FlipLossSpans
{
    private const int Lanes = 8;      // Vector256<float>
    private const int Tile = 2 * Lanes; // groups per accumulator pass
    private const int ClassBlock = 5; // class accumulators held in registers per pass

    /// <summary>Groups rounded up to whole tiles: the row width of <c>signed</c> and <c>weight</c> in the span form of <see cref="FlipLossKernel.FlippedLoss"/>.</summary>
    public static int PaddedGroups(int groups) => (groups + Tile - 1) / Tile * Tile;

    /// <summary>Classes rounded up to whole accumulator blocks.</summary>
    public static int PaddedClasses(int classes) => (classes + ClassBlock - 1) / ClassBlock * ClassBlock;

    /// <summary>Elements of the <c>gatedOut</c> and <c>logits</c> work areas of the span form.</summary>
    public static (int GatedOut, int Logits) WorkSizes(int hidden, int classes) => (hidden * PaddedClasses(classes), PaddedClasses(classes) * Tile);

    /// <summary>
    /// The span form: <paramref name="s"/> [B, <see cref="PaddedGroups"/>] and <paramref name="w"/> [K, padded] with zero
    /// padding columns, <paramref name="z"/> and <paramref name="xi"/> [B, K], <paramref name="wOut"/> [C, K], labels already
    /// checked; <paramref name="gatedOut"/>, <paramref name="logits"/> (<see cref="WorkSizes"/>) and <paramref name="active"/> [K]
    /// are work areas. Writes the flipped losses to <paramref name="result"/> [B, G].
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void FlippedLoss(
        ReadOnlySpan<float> s, ReadOnlySpan<float> w, ReadOnlySpan<float> z, ReadOnlySpan<float> xi, ReadOnlySpan<float> wOut,
        ReadOnlySpan<float> bias, ReadOnlySpan<int> label, int batch, int groups, int hidden, int classes,
        Span<float> gatedOut, Span<float> logits, Span<int> active, Span<float> result)
    {
        var paddedGroups = PaddedGroups(groups);
        var paddedClasses = PaddedClasses(classes);
        for (var b = 0; b < batch; b++)
        {
            // The example's gates folded into the output weights, [K, C padded]; gated-off units are skipped.
            var count = 0;
            gatedOut.Slice(0, hidden * paddedClasses).Clear();
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
                    AccumulateLogits(s, w, z, gatedOut, active.Slice(0, count), b, g0, c0, hidden, paddedGroups, paddedClasses, logits);
                }
                for (var half = 0; half < 2 && g0 + half * Lanes < groups; half++)
                {
                    var first = g0 + half * Lanes;
                    WriteLosses(logits, half, bias, classes, label[b], result.Slice(b * groups), first, Math.Min(Lanes, groups - first));
                }
            }
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
                WriteLosses(tile, 0, noBias, classes, label[b], result.Slice(b * groups), g0, Math.Min(Lanes, groups - g0));
            }
        }
    }

    // Logits (without bias) of classes c0..c0+4 for groups g0..g0+15 of example b, into logits[(c * 2 + half) * Lanes + lane].
    // Two group vectors times five classes give ten independent accumulator chains: enough to hide the FMA latency.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AccumulateLogits(
        ReadOnlySpan<float> s, ReadOnlySpan<float> w, ReadOnlySpan<float> z, ReadOnlySpan<float> gatedOut, ReadOnlySpan<int> active,
        int b, int g0, int c0, int hidden, int paddedGroups, int paddedClasses, Span<float> logits)
    {
        ref var sRef = ref MemoryMarshal.GetReference(s);
        ref var wRef = ref MemoryMarshal.GetReference(w);
        ref var zRef = ref MemoryMarshal.GetReference(z);
        ref var oRef = ref MemoryMarshal.GetReference(gatedOut);
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
        ref var lRef = ref MemoryMarshal.GetReference(logits);
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
    private static void WriteLosses(Span<float> logits, int half, ReadOnlySpan<float> bias, int classes, int label, Span<float> output, int g0, int count)
    {
        ref var lRef = ref MemoryMarshal.GetReference(logits);
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
}
