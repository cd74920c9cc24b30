using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Sweep.Pruning.Engine;
using TorchSharp;
using static TorchSharp.torch;

namespace Sweep.Pruning.Optimization;

/// <summary>
/// One Adam step of one parameter in a single pass over its memory, with the slab's weight decay
/// folded into the gradient: g' = g + r_row w, m = b1 m + (1 - b1) g', v = b2 v + (1 - b2) g'^2,
/// w -= stepSize m / (sqrt(v) / sqrt(c2) + eps). The same update as PyTorch's Adam done with tensor
/// operations, which take nine passes (and two temporaries) over LeNet-300-100's 266k weights.
/// </summary>
internal static class AdamKernel
{
    /// <summary>Whether <paramref name="tensors"/> can be updated in place here: contiguous float32 CPU tensors.</summary>
    public static bool Applies(params Tensor[] tensors) => tensors.All(t => TensorMemory.IsDirect(t));

    /// <summary>
    /// Updates <paramref name="parameter"/>, <paramref name="first"/> and <paramref name="second"/> in place.
    /// <paramref name="rowDecay"/> (optional, one factor per row of the parameter) adds r_row w to the gradient.
    /// </summary>
    public static void Step(Tensor parameter, Tensor gradient, Tensor first, Tensor second, Tensor? rowDecay,
        double beta1, double beta2, double epsilon, double stepSize, double sqrtCorrection2)
    {
        var w = TensorMemory.Floats(parameter);
        var g = TensorMemory.Floats(gradient);
        var m = TensorMemory.Floats(first);
        var v = TensorMemory.Floats(second);
        if (g.Length != w.Length || m.Length != w.Length || v.Length != w.Length)
        {
            throw new ArgumentException($"Adam state of {m.Length}/{v.Length} elements and gradient of {g.Length} do not match the parameter's {w.Length}.", nameof(gradient));
        }
        using var decay = rowDecay?.to_type(ScalarType.Float32).contiguous();
        var rows = decay is null ? 1 : (int)decay.shape[0];
        var rowDecays = decay is null ? [0f] : TensorMemory.Floats(decay);
        if (w.Length % rows != 0)
        {
            throw new ArgumentException($"{rows} row decay factors do not divide the parameter's {w.Length} elements.", nameof(rowDecay));
        }
        var rowLength = w.Length / rows;
        var constants = new Constants((float)beta1, (float)beta2, (float)epsilon, (float)stepSize, (float)(1 / sqrtCorrection2));
        for (var r = 0; r < rows; r++)
        {
            var at = r * rowLength;
            Row(w.Slice(at, rowLength), g.Slice(at, rowLength), m.Slice(at, rowLength), v.Slice(at, rowLength), rowDecays[r], constants);
        }
    }

    private readonly record struct Constants(float Beta1, float Beta2, float Epsilon, float StepSize, float InverseSqrtCorrection2);

    // Jitted fully optimized at once: tier-0 vector code is an order of magnitude slower, and a trainer keeps
    // jitting new methods, which postpones tier-1 recompilation.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Row(Span<float> w, ReadOnlySpan<float> g, Span<float> m, Span<float> v, float decay, Constants c)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var b1 = Vector256.Create(c.Beta1);
            var b1c = Vector256.Create(1 - c.Beta1);
            var b2 = Vector256.Create(c.Beta2);
            var b2c = Vector256.Create(1 - c.Beta2);
            var eps = Vector256.Create(c.Epsilon);
            var step = Vector256.Create(c.StepSize);
            var inv = Vector256.Create(c.InverseSqrtCorrection2);
            var r = Vector256.Create(decay);
            for (; i <= w.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var wi = Vector256.Create(w.Slice(i));
                var gi = Vector256.FusedMultiplyAdd(r, wi, Vector256.Create(g.Slice(i)));
                var mi = Vector256.FusedMultiplyAdd(b1, Vector256.Create(m.Slice(i)), b1c * gi);
                var vi = Vector256.FusedMultiplyAdd(b2, Vector256.Create(v.Slice(i)), b2c * gi * gi);
                mi.CopyTo(m.Slice(i));
                vi.CopyTo(v.Slice(i));
                (wi - step * mi / Vector256.FusedMultiplyAdd(Vector256.Sqrt(vi), inv, eps)).CopyTo(w.Slice(i));
            }
        }
        for (; i < w.Length; i++)
        {
            var gi = g[i] + decay * w[i];
            m[i] = c.Beta1 * m[i] + (1 - c.Beta1) * gi;
            v[i] = c.Beta2 * v[i] + (1 - c.Beta2) * gi * gi;
            w[i] -= c.StepSize * m[i] / (MathF.Sqrt(v[i]) * c.InverseSqrtCorrection2 + c.Epsilon);
        }
    }
}
