using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Sweep.Pruning.Training;

/// <summary>
/// The elementwise parts of <see cref="FusedMlpStep"/> on plain memory, row-major [B, G] unless a parameter says
/// otherwise. Each replaces one to three tensor operations whose fixed cost (3-5 us each) dominates a step once a
/// network is pruned small.
/// </summary>
internal static class FusedMlpKernels
{
    private static int Lanes => Vector256<float>.Count;

    /// <summary>xi[b, g] = 1 where random[b, g] &lt; theta[g], else 0: the Bernoulli draw of GatedNetwork.SampleGates.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SampleGates(ReadOnlySpan<float> random, ReadOnlySpan<float> theta, Span<float> gates)
    {
        var groups = theta.Length;
        for (var row = 0; row < random.Length; row += groups)
        {
            var r = random.Slice(row, groups);
            var xi = gates.Slice(row, groups);
            for (var g = 0; g < groups; g++)
            {
                xi[g] = r[g] < theta[g] ? 1f : 0f;
            }
        }
    }

    /// <summary>Every row of <paramref name="target"/> set to <paramref name="row"/> (the bias, before a matrix product adds to it).</summary>
    public static void FillRows(ReadOnlySpan<float> row, Span<float> target)
    {
        for (var at = 0; at < target.Length; at += row.Length)
        {
            row.CopyTo(target.Slice(at, row.Length));
        }
    }

    /// <summary>a = relu(u) and h = a * xi, the gated activation.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ReluGate(ReadOnlySpan<float> u, ReadOnlySpan<float> xi, Span<float> a, Span<float> h)
    {
        TensorPrimitives.Max(u, 0f, a);
        TensorPrimitives.Multiply(a, xi, h);
    }

    /// <summary>du = dh * xi where a &gt; 0 (the unit was active), else 0: back through the gate and the ReLU.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void GateReluBackward(ReadOnlySpan<float> dh, ReadOnlySpan<float> xi, ReadOnlySpan<float> a, Span<float> du)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref var dhRef = ref MemoryMarshal.GetReference(dh);
            ref var xiRef = ref MemoryMarshal.GetReference(xi);
            ref var aRef = ref MemoryMarshal.GetReference(a);
            ref var duRef = ref MemoryMarshal.GetReference(du);
            for (; i <= du.Length - Lanes; i += Lanes)
            {
                var active = Vector256.GreaterThan(Vector256.LoadUnsafe(ref aRef, (nuint)i), Vector256<float>.Zero);
                var value = Vector256.LoadUnsafe(ref dhRef, (nuint)i) * Vector256.LoadUnsafe(ref xiRef, (nuint)i);
                Vector256.BitwiseAnd(value, active).StoreUnsafe(ref duRef, (nuint)i);
            }
        }
        for (; i < du.Length; i++)
        {
            du[i] = a[i] > 0 ? dh[i] * xi[i] : 0f;
        }
    }

    /// <summary>Sums of the rows of <paramref name="matrix"/> [rows, target.Length] into <paramref name="target"/> (a bias gradient).</summary>
    public static void ColumnSums(ReadOnlySpan<float> matrix, Span<float> target)
    {
        var columns = target.Length;
        matrix.Slice(0, columns).CopyTo(target);
        for (var at = columns; at < matrix.Length; at += columns)
        {
            TensorPrimitives.Add(target, matrix.Slice(at, columns), target);
        }
    }

    /// <summary>
    /// Softmax cross-entropy per example into <paramref name="loss"/> and the gradient of the batch mean with
    /// respect to the logits, (softmax - onehot) / B, into <paramref name="gradient"/>. Returns the summed loss.
    /// </summary>
    public static double CrossEntropy(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, Span<float> loss, Span<float> gradient)
    {
        var batch = labels.Length;
        var classes = logits.Length / batch;
        var total = 0.0;
        for (var b = 0; b < batch; b++)
        {
            var row = logits.Slice(b * classes, classes);
            var max = (double)TensorPrimitives.Max(row);
            var sum = 0.0;
            for (var c = 0; c < classes; c++)
            {
                sum += Math.Exp(row[c] - max);
            }
            var logSumExp = max + Math.Log(sum);
            var value = logSumExp - row[labels[b]];
            loss[b] = (float)value;
            total += loss[b];
            var g = gradient.Slice(b * classes, classes);
            for (var c = 0; c < classes; c++)
            {
                g[c] = (float)((Math.Exp(row[c] - logSumExp) - (c == labels[b] ? 1 : 0)) / batch);
            }
        }
        return total;
    }

    /// <summary>Rows of <paramref name="source"/> [rows, columns] into rows of width <paramref name="padded"/> of <paramref name="target"/> (whose padding stays as it is: zero).</summary>
    public static void CopyPadded(ReadOnlySpan<float> source, int columns, int padded, Span<float> target)
    {
        for (int from = 0, to = 0; from < source.Length; from += columns, to += padded)
        {
            source.Slice(from, columns).CopyTo(target.Slice(to, columns));
        }
    }

    /// <summary>
    /// The signed value a flip adds, into rows of width <paramref name="padded"/>: -a where the gate is on (the flip removes
    /// the activation), +a where it is off.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SignedFlips(ReadOnlySpan<float> a, ReadOnlySpan<float> xi, int groups, int padded, Span<float> signed)
    {
        for (int from = 0, to = 0; from < a.Length; from += groups, to += padded)
        {
            var activation = a.Slice(from, groups);
            var gates = xi.Slice(from, groups);
            var s = signed.Slice(to, groups);
            for (var g = 0; g < groups; g++)
            {
                s[g] = gates[g] != 0 ? -activation[g] : activation[g];
            }
        }
    }

    /// <summary>D[g] = mean over b of (2 xi[b, g] - 1) (loss[b] - flipped[b, g]): the exact estimate from the flipped losses.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void FlipDifferences(ReadOnlySpan<float> xi, ReadOnlySpan<float> loss, ReadOnlySpan<float> flipped, Span<float> d)
    {
        var groups = d.Length;
        d.Clear();
        for (var b = 0; b < loss.Length; b++)
        {
            var gates = xi.Slice(b * groups, groups);
            var f = flipped.Slice(b * groups, groups);
            var l = loss[b];
            for (var g = 0; g < groups; g++)
            {
                var difference = l - f[g];
                d[g] += gates[g] != 0 ? difference : -difference;
            }
        }
        TensorPrimitives.Multiply(d, 1f / loss.Length, d);
    }
}
