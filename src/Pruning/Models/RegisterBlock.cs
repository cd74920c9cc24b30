using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Sweep.Pruning.Models;

/// <summary>
/// The register-block helpers of the direct convolution kernels: one to three vectors of 8 output channels loaded,
/// accumulated and stored together, the count a compile-time constant (<see cref="IBlockCount"/>), so the JIT
/// compiles each block shape as straight-line code with only the accumulators it uses.
/// </summary>
internal static class RegisterBlock
{
    public const int Lanes = 8;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Accumulate<V>(Vector256<float> v, Vector256<float> w0, Vector256<float> w1, Vector256<float> w2,
        ref Vector256<float> a0, ref Vector256<float> a1, ref Vector256<float> a2)
        where V : struct, IBlockCount
    {
        a0 = Vector256.FusedMultiplyAdd(v, w0, a0);
        if (V.Value > 1)
        {
            a1 = Vector256.FusedMultiplyAdd(v, w1, a1);
        }
        if (V.Value > 2)
        {
            a2 = Vector256.FusedMultiplyAdd(v, w2, a2);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Load<V>(ref float source, out Vector256<float> a0, out Vector256<float> a1, out Vector256<float> a2)
        where V : struct, IBlockCount
    {
        a0 = Vector256.LoadUnsafe(ref source);
        a1 = V.Value > 1 ? Vector256.LoadUnsafe(ref source, Lanes) : default;
        a2 = V.Value > 2 ? Vector256.LoadUnsafe(ref source, 2 * Lanes) : default;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddTo<V>(ref float target, Vector256<float> a0, Vector256<float> a1, Vector256<float> a2)
        where V : struct, IBlockCount
    {
        Load<V>(ref target, out var t0, out var t1, out var t2);
        Store<V>(ref target, t0 + a0, t1 + a1, t2 + a2);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store<V>(ref float target, Vector256<float> a0, Vector256<float> a1, Vector256<float> a2)
        where V : struct, IBlockCount
    {
        a0.StoreUnsafe(ref target);
        if (V.Value > 1)
        {
            a1.StoreUnsafe(ref target, Lanes);
        }
        if (V.Value > 2)
        {
            a2.StoreUnsafe(ref target, 2 * Lanes);
        }
    }
}

/// <summary>The strides of one kernel call: input row, weight row (or output-gradient row), run (or output size), channels, padded outputs.</summary>
internal readonly record struct ConvolutionStrides(int InRow, int WeightRow, int Run, int Channels, int Outputs);

/// <summary>
/// A compile-time block size: the JIT compiles each generic instantiation over these structs separately, with
/// Value a constant, so the branches on it disappear.
/// </summary>
internal interface IBlockCount
{
    static abstract int Value { get; }
}

internal struct One : IBlockCount
{
    public static int Value => 1;
}

internal struct Two : IBlockCount
{
    public static int Value => 2;
}

internal struct Three : IBlockCount
{
    public static int Value => 3;
}

internal struct Four : IBlockCount
{
    public static int Value => 4;
}
