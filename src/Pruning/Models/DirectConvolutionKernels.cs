using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Sweep.Pruning.Models;

/// <summary>
/// The register kernels of <see cref="DirectConvolution"/> on channels-last memory: a valid (unpadded, stride 1)
/// convolution and the full correlation that is its input gradient (its weight gradient: <see cref="DirectConvolutionGradient"/>), with no im2col buffer.
/// Output channels are padded to whole vectors of 8. A block of four neighbouring outputs times up to three vectors
/// of output channels (up to twelve accumulators) shares each broadcast input value and each loaded weight vector:
/// 12 FMAs for 7 loads. For a fixed kernel row the (kernel column, input channel) pairs of a pixel are k x C
/// consecutive floats of a channels-last input row (its "run") and k x C consecutive rows of the packed weights,
/// so every inner loop walks contiguous memory, whatever the channel count (conv1's single channel included).
/// </summary>
internal static class DirectConvolutionKernels
{
    public const int Lanes = RegisterBlock.Lanes;
    private const int Block = 4;

    /// <summary>Channels rounded up to whole vectors.</summary>
    public static int Padded(int channels) => (channels + Lanes - 1) / Lanes * Lanes;

    /// <summary>
    /// output[b, r, x, o] = bias[o] + sum over ky, kx, c of input[b, r + rowOffset + ky, x + kx, c] * weight[ky, kx, c, o], the
    /// sum over ky only where that input row exists (rows outside the input count as zero rows and cost nothing).
    /// <paramref name="input"/> [B, inRows, inCols, C], <paramref name="weight"/> [k, k, C, Op] (Op = <paramref name="paddedOutputs"/>,
    /// a multiple of 8, padding columns zero), <paramref name="bias"/> [Op], <paramref name="output"/> [B, outRows, inCols - k + 1, Op].
    /// With rowOffset 0 and outRows = inRows - k + 1 this is the valid convolution; with rowOffset -(k - 1) over an input padded by
    /// k - 1 zero columns each side, and the flipped kernel, it is the input gradient (the full correlation).
    /// Images lie <paramref name="imageStride"/> floats apart in <paramref name="input"/> (default: packed, inRows x inCols x C),
    /// so one channel of an NCHW tensor can be read as single-channel images in place.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Correlate(
        ReadOnlySpan<float> input, int batch, int inRows, int inCols, int channels, ReadOnlySpan<float> weight, int kernel,
        ReadOnlySpan<float> bias, int paddedOutputs, Span<float> output, int outRows, int rowOffset, int imageStride = 0)
    {
        var outCols = inCols - kernel + 1;
        var run = kernel * channels;
        var image = inRows * inCols * channels;
        imageStride = imageStride == 0 ? image : imageStride;
        if (imageStride < image || input.Length < (batch - 1) * imageStride + image || weight.Length < kernel * run * paddedOutputs
            || bias.Length < paddedOutputs || output.Length < batch * outRows * outCols * paddedOutputs || paddedOutputs % Lanes != 0 || outCols < 1)
        {
            throw new ArgumentException("Direct convolution: buffers do not match the shapes.");
        }
        ref var inRef = ref MemoryMarshal.GetReference(input);
        ref var wRef = ref MemoryMarshal.GetReference(weight);
        ref var bRef = ref MemoryMarshal.GetReference(bias);
        ref var outRef = ref MemoryMarshal.GetReference(output);
        var shape = new ConvolutionStrides(inCols * channels, run * paddedOutputs, run, channels, paddedOutputs);
        for (var b = 0; b < batch; b++)
        {
            for (var r = 0; r < outRows; r++)
            {
                // The kernel rows whose input row exists.
                var first = Math.Max(0, -(r + rowOffset));
                var rows = Math.Max(0, Math.Min(kernel, inRows - (r + rowOffset)) - first);
                ref var inRow = ref Unsafe.Add(ref inRef, rows > 0 ? b * imageStride + (r + rowOffset + first) * shape.InRow : 0);
                ref var wRow = ref Unsafe.Add(ref wRef, first * shape.WeightRow);
                ref var outRow = ref Unsafe.Add(ref outRef, (b * outRows + r) * outCols * paddedOutputs);
                var x = 0;
                for (; x + Block <= outCols; x += Block)
                {
                    OutputBlocks<Four>(ref Unsafe.Add(ref inRow, x * channels), rows, ref wRow, ref bRef, ref Unsafe.Add(ref outRow, x * paddedOutputs), shape);
                }
                for (; x < outCols; x++)
                {
                    OutputBlocks<One>(ref Unsafe.Add(ref inRow, x * channels), rows, ref wRow, ref bRef, ref Unsafe.Add(ref outRow, x * paddedOutputs), shape);
                }
            }
        }
    }

    // The outputs of P (1 or 4) neighbouring pixels, all output channels: three vectors at a time, then the rest.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void OutputBlocks<P>(ref float input, int rows, ref float weight, ref float bias, ref float output, ConvolutionStrides shape)
        where P : struct, IBlockCount
    {
        var o = 0;
        for (; o + 3 * Lanes <= shape.Outputs; o += 3 * Lanes)
        {
            OutputBlock<P, Three>(ref input, rows, ref Unsafe.Add(ref weight, o), ref Unsafe.Add(ref bias, o), ref Unsafe.Add(ref output, o), shape);
        }
        if (shape.Outputs - o == 2 * Lanes)
        {
            OutputBlock<P, Two>(ref input, rows, ref Unsafe.Add(ref weight, o), ref Unsafe.Add(ref bias, o), ref Unsafe.Add(ref output, o), shape);
        }
        else if (shape.Outputs - o == Lanes)
        {
            OutputBlock<P, One>(ref input, rows, ref Unsafe.Add(ref weight, o), ref Unsafe.Add(ref bias, o), ref Unsafe.Add(ref output, o), shape);
        }
    }

    // P pixels x V vectors of output channels (the JIT specializes each pair, the unused accumulators vanish):
    // `input` at the first pixel's first used row, `weight` at the first used kernel row and the block's first channel.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void OutputBlock<P, V>(ref float input, int rows, ref float weight, ref float bias, ref float output, ConvolutionStrides shape)
        where P : struct, IBlockCount
        where V : struct, IBlockCount
    {
        var b0 = Vector256.LoadUnsafe(ref bias);
        var b1 = V.Value > 1 ? Vector256.LoadUnsafe(ref bias, Lanes) : default;
        var b2 = V.Value > 2 ? Vector256.LoadUnsafe(ref bias, 2 * Lanes) : default;
        Vector256<float> a00 = b0, a01 = b1, a02 = b2, a10 = b0, a11 = b1, a12 = b2;
        Vector256<float> a20 = b0, a21 = b1, a22 = b2, a30 = b0, a31 = b1, a32 = b2;
        var c = (nuint)shape.Channels;
        var stride = (nuint)shape.Outputs;
        for (var ky = 0; ky < rows; ky++)
        {
            ref var i0 = ref Unsafe.Add(ref input, ky * shape.InRow);
            ref var w = ref Unsafe.Add(ref weight, ky * shape.WeightRow);
            for (nuint t = 0; t < (nuint)shape.Run; t++)
            {
                var w0 = Vector256.LoadUnsafe(ref w);
                var w1 = V.Value > 1 ? Vector256.LoadUnsafe(ref w, Lanes) : default;
                var w2 = V.Value > 2 ? Vector256.LoadUnsafe(ref w, 2 * Lanes) : default;
                RegisterBlock.Accumulate<V>(Vector256.Create(Unsafe.Add(ref i0, t)), w0, w1, w2, ref a00, ref a01, ref a02);
                if (P.Value > 1)
                {
                    RegisterBlock.Accumulate<V>(Vector256.Create(Unsafe.Add(ref i0, t + c)), w0, w1, w2, ref a10, ref a11, ref a12);
                    RegisterBlock.Accumulate<V>(Vector256.Create(Unsafe.Add(ref i0, t + 2 * c)), w0, w1, w2, ref a20, ref a21, ref a22);
                    RegisterBlock.Accumulate<V>(Vector256.Create(Unsafe.Add(ref i0, t + 3 * c)), w0, w1, w2, ref a30, ref a31, ref a32);
                }
                w = ref Unsafe.Add(ref w, stride);
            }
        }
        RegisterBlock.Store<V>(ref output, a00, a01, a02);
        if (P.Value > 1)
        {
            RegisterBlock.Store<V>(ref Unsafe.Add(ref output, stride), a10, a11, a12);
            RegisterBlock.Store<V>(ref Unsafe.Add(ref output, 2 * stride), a20, a21, a22);
            RegisterBlock.Store<V>(ref Unsafe.Add(ref output, 3 * stride), a30, a31, a32);
        }
    }
}
