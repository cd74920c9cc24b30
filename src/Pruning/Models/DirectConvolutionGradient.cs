using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Sweep.Pruning.Models;

/// <summary>
/// The weight gradient of <see cref="DirectConvolution"/>, in the register blocks of <see cref="RegisterBlock"/> as the forward kernels.
/// </summary>
internal static class DirectConvolutionGradient
{
    private const int Lanes = RegisterBlock.Lanes;
    private const int Block = 4;

    /// <summary>
    /// The weight gradient gradWeight[ky, kx, c, o] = sum over b, y, x of input[b, y + ky, x + kx, c] * gradOutput[b, y, x, o],
    /// <paramref name="input"/> [B, H, H, C], <paramref name="gradOutput"/> [B, S, S, Op], <paramref name="gradWeight"/> [k, k, C, Op]
    /// (overwritten). For kernel row ky the (kx, c) pairs are the run position t = kx C + c, and gradWeight[ky, t, o] sums
    /// input[b, y + ky, x C + t] gradOutput[b, y, x, o]: four consecutive t (contiguous in the input) times up to three
    /// vectors of output channels accumulate in registers over one image's S x S pixels, which stay in the first-level cache.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void WeightGradient(
        ReadOnlySpan<float> input, int batch, int size, int channels, ReadOnlySpan<float> gradOutput, int kernel, int paddedOutputs,
        Span<float> gradWeight)
    {
        var convSize = size - kernel + 1;
        var run = kernel * channels;
        if (input.Length < batch * size * size * channels || gradOutput.Length < batch * convSize * convSize * paddedOutputs
            || gradWeight.Length < kernel * run * paddedOutputs || paddedOutputs % Lanes != 0 || convSize < 1)
        {
            throw new ArgumentException("Direct convolution: buffers do not match the shapes.");
        }
        gradWeight.Slice(0, kernel * run * paddedOutputs).Clear();
        ref var inRef = ref MemoryMarshal.GetReference(input);
        ref var gRef = ref MemoryMarshal.GetReference(gradOutput);
        ref var dwRef = ref MemoryMarshal.GetReference(gradWeight);
        var shape = new ConvolutionStrides(size * channels, convSize * paddedOutputs, convSize, channels, paddedOutputs);
        for (var b = 0; b < batch; b++)
        {
            ref var image = ref Unsafe.Add(ref inRef, b * size * shape.InRow);
            ref var gradient = ref Unsafe.Add(ref gRef, b * convSize * shape.WeightRow);
            for (var ky = 0; ky < kernel; ky++)
            {
                ref var inRow = ref Unsafe.Add(ref image, ky * shape.InRow);
                ref var dwRow = ref Unsafe.Add(ref dwRef, ky * run * paddedOutputs);
                var t = 0;
                for (; t + Block <= run; t += Block)
                {
                    GradientBlocks<Four>(ref Unsafe.Add(ref inRow, t), ref gradient, ref Unsafe.Add(ref dwRow, t * paddedOutputs), shape);
                }
                for (; t < run; t++)
                {
                    GradientBlocks<One>(ref Unsafe.Add(ref inRow, t), ref gradient, ref Unsafe.Add(ref dwRow, t * paddedOutputs), shape);
                }
            }
        }
    }

    // Run positions t .. t + P - 1 of one kernel row, all output channels: three vectors at a time, then the rest.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void GradientBlocks<P>(ref float input, ref float gradient, ref float gradWeight, ConvolutionStrides shape)
        where P : struct, IBlockCount
    {
        var o = 0;
        for (; o + 3 * Lanes <= shape.Outputs; o += 3 * Lanes)
        {
            GradientBlock<P, Three>(ref input, ref Unsafe.Add(ref gradient, o), ref Unsafe.Add(ref gradWeight, o), shape);
        }
        if (shape.Outputs - o == 2 * Lanes)
        {
            GradientBlock<P, Two>(ref input, ref Unsafe.Add(ref gradient, o), ref Unsafe.Add(ref gradWeight, o), shape);
        }
        else if (shape.Outputs - o == Lanes)
        {
            GradientBlock<P, One>(ref input, ref Unsafe.Add(ref gradient, o), ref Unsafe.Add(ref gradWeight, o), shape);
        }
    }

    // P run positions x V vectors of output channels, summed over one image's pixels onto gradWeight (this image's share).
    // Here shape.Run is the output size S and shape.WeightRow the output gradient's row stride S x Op.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void GradientBlock<P, V>(ref float input, ref float gradient, ref float gradWeight, ConvolutionStrides shape)
        where P : struct, IBlockCount
        where V : struct, IBlockCount
    {
        // The image's share starts from zero and is added to the sum at the end: sums of S x S terms, then of B partial sums,
        // instead of one chain over every pixel of the batch (float32 error grows with a chain's length).
        var stride = (nuint)shape.Outputs;
        Vector256<float> a00 = default, a01 = default, a02 = default, a10 = default, a11 = default, a12 = default;
        Vector256<float> a20 = default, a21 = default, a22 = default, a30 = default, a31 = default, a32 = default;
        var c = shape.Channels;
        if (P.Value == 1)
        {
            // A single run position: its pixels alternate between two accumulator sets, so two FMA chains per vector
            // hide the latency that one chain would wait on.
            SinglePositionGradient<V>(ref input, ref gradient, shape, ref a00, ref a01, ref a02);
        }
        for (var y = 0; y < (P.Value > 1 ? shape.Run : 0); y++)
        {
            ref var i0 = ref Unsafe.Add(ref input, y * shape.InRow);
            ref var g = ref Unsafe.Add(ref gradient, y * shape.WeightRow);
            for (var x = 0; x < shape.Run; x++)
            {
                var g0 = Vector256.LoadUnsafe(ref g);
                var g1 = V.Value > 1 ? Vector256.LoadUnsafe(ref g, Lanes) : default;
                var g2 = V.Value > 2 ? Vector256.LoadUnsafe(ref g, 2 * Lanes) : default;
                RegisterBlock.Accumulate<V>(Vector256.Create(i0), g0, g1, g2, ref a00, ref a01, ref a02);
                if (P.Value > 1)
                {
                    RegisterBlock.Accumulate<V>(Vector256.Create(Unsafe.Add(ref i0, 1)), g0, g1, g2, ref a10, ref a11, ref a12);
                    RegisterBlock.Accumulate<V>(Vector256.Create(Unsafe.Add(ref i0, 2)), g0, g1, g2, ref a20, ref a21, ref a22);
                    RegisterBlock.Accumulate<V>(Vector256.Create(Unsafe.Add(ref i0, 3)), g0, g1, g2, ref a30, ref a31, ref a32);
                }
                i0 = ref Unsafe.Add(ref i0, c);
                g = ref Unsafe.Add(ref g, stride);
            }
        }
        RegisterBlock.AddTo<V>(ref gradWeight, a00, a01, a02);
        if (P.Value > 1)
        {
            RegisterBlock.AddTo<V>(ref Unsafe.Add(ref gradWeight, stride), a10, a11, a12);
            RegisterBlock.AddTo<V>(ref Unsafe.Add(ref gradWeight, 2 * stride), a20, a21, a22);
            RegisterBlock.AddTo<V>(ref Unsafe.Add(ref gradWeight, 3 * stride), a30, a31, a32);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SinglePositionGradient<V>(ref float input, ref float gradient, ConvolutionStrides shape,
        ref Vector256<float> a0, ref Vector256<float> a1, ref Vector256<float> a2)
        where V : struct, IBlockCount
    {
        Vector256<float> e0 = default, e1 = default, e2 = default;
        var c = shape.Channels;
        var stride = shape.Outputs;
        for (var y = 0; y < shape.Run; y++)
        {
            ref var i0 = ref Unsafe.Add(ref input, y * shape.InRow);
            ref var g = ref Unsafe.Add(ref gradient, y * shape.WeightRow);
            var x = 0;
            for (; x + 2 <= shape.Run; x += 2)
            {
                RegisterBlock.Load<V>(ref g, out var g0, out var g1, out var g2);
                RegisterBlock.Accumulate<V>(Vector256.Create(i0), g0, g1, g2, ref a0, ref a1, ref a2);
                RegisterBlock.Load<V>(ref Unsafe.Add(ref g, stride), out g0, out g1, out g2);
                RegisterBlock.Accumulate<V>(Vector256.Create(Unsafe.Add(ref i0, c)), g0, g1, g2, ref e0, ref e1, ref e2);
                i0 = ref Unsafe.Add(ref i0, 2 * c);
                g = ref Unsafe.Add(ref g, 2 * stride);
            }
            if (x < shape.Run)
            {
                RegisterBlock.Load<V>(ref g, out var g0, out var g1, out var g2);
                RegisterBlock.Accumulate<V>(Vector256.Create(i0), g0, g1, g2, ref a0, ref a1, ref a2);
            }
        }
        a0 += e0;
        a1 += e1;
        a2 += e2;
    }

}
