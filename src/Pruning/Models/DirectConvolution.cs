using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;
using Kernels = Sweep.Pruning.Models.DirectConvolutionKernels;

namespace Sweep.Pruning.Models;

/// <summary>
/// A convolution (LeNet-5-Caffe's conv1 and conv2) as Sweep's own direct kernels on channels-last
/// memory: forward, input gradient and weight gradient, each one register-blocked pass with no im2col buffer
/// (<see cref="DirectConvolutionKernels"/>). At the widths a pruned LeNet-5-Caffe trains at (20 -> 24 channels and
/// fewer) libtorch's oneDNN kernels take 2.6x the FLOP limit of this shape, and an im2col plus sgemm form was
/// slower still (docs/PERFORMANCE.md, section `conv`): with 24 output channels the matrix products are too narrow
/// to run near the sgemm rate, while a direct kernel keeps twelve accumulators busy at any channel count.
/// The output is channels-last in memory ([B, O, S, S] as a view), as the pooling and gates after it take it. The
/// exact estimator's conv1 flips through conv2 use the kernels directly (ConvolutionFlips).
/// </summary>
internal sealed class DirectConvolution : autograd.SingleTensorFunction<DirectConvolution>
{
    /// <summary>Process-wide: whether <see cref="GatedLayer"/> uses it (the harness turns it off to compare with libtorch's in one process).</summary>
    public static bool Enabled { get; set; } = true;

    /// <summary>Whether the kernels run at vector speed here (256-bit vectors with FMA).</summary>
    public static bool IsAvailable => Vector256.IsHardwareAccelerated && Fma.IsSupported;

    public override string Name => nameof(DirectConvolution);

    /// <summary>
    /// Whether it computes conv2d(input, weight, bias) in the layers: in training (gradients on) on one libtorch thread,
    /// square input and kernel, float32 on the CPU. The kernels run on one thread, so with more (EngineSetup.UseThreads)
    /// the layers keep libtorch's convolutions, which use them all. Evaluation keeps SingleChannelConvolution.Infer for conv1 and libtorch's conv2, which were as
    /// fast or faster there (docs/PERFORMANCE.md, "Direct convolutions of Sweep's own"): evaluation runs chunks of 1,000
    /// images, whose time goes to the elementwise passes over large intermediates, and the padded output channels of
    /// the direct form make those larger.
    /// </summary>
    public static bool Applies(Tensor input, Tensor weight) =>
        Enabled && IsAvailable && is_grad_enabled() && get_num_threads() == 1 && input.dim() == 4 && weight.dim() == 4 && input.shape[1] == weight.shape[1]
        && input.shape[2] == input.shape[3] && weight.shape[2] == weight.shape[3] && input.shape[2] >= weight.shape[2]
        && input.dtype == ScalarType.Float32 && weight.dtype == ScalarType.Float32 && input.device_type == DeviceType.CPU;

    /// <summary>conv2d(input, weight, bias), stride 1, no padding: with an autograd record when gradients are on, as a plain pass when not.</summary>
    public static Tensor Compute(Tensor input, Tensor weight, Tensor bias) =>
        is_grad_enabled() && (input.requires_grad || weight.requires_grad || bias.requires_grad)
            ? apply(input, weight, bias, input.requires_grad)
            : Convolve(ChannelsLast(input), weight, bias);

    private const string InputGradientKey = "input-gradient";

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var input = ChannelsLast((Tensor)vars[0]);
        var weight = (Tensor)vars[1];
        ctx.save_for_backward([input, weight]);
        ctx.save_data(InputGradientKey, vars[3]);
        return Convolve(input, weight, (Tensor)vars[2]);
    }

    /// <summary>The gradients of input (when it requires one: not for the images conv1 reads), weight and bias.</summary>
    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
    {
        var saved = ctx.get_saved_variables();
        var (input, weight) = (saved[0], saved[1].detach());
        var (batch, size, channels) = ((int)input.shape[0], (int)input.shape[1], (int)input.shape[3]);
        var (outputs, kernel) = ((int)weight.shape[0], (int)weight.shape[2]);
        var padded = Kernels.Padded(outputs);
        var convSize = size - kernel + 1;

        // The output gradient channels-last [B, S, S, Op], its padding channels zero.
        using var gradient = nn.functional.pad(gradOutput.permute(0, 2, 3, 1), [0, padded - outputs]).contiguous();
        using var weightGradientPacked = empty(kernel, kernel, channels, padded);
        DirectConvolutionGradient.WeightGradient(Floats(input), batch, size, channels, Floats(gradient), kernel, padded,
            Floats(weightGradientPacked));
        var weightGradient = weightGradientPacked.narrow(3, 0, outputs).permute(3, 2, 0, 1).contiguous();
        var biasGradient = gradOutput.sum([0, 2, 3]);
        if (!(bool)ctx.get_data(InputGradientKey))
        {
            return [null!, weightGradient, biasGradient, null!];
        }

        // The input gradient is the full correlation of the output gradient with the flipped kernel: the output gradient
        // padded by k - 1 zero columns each side (the rows outside it are skipped by the kernel), input and output roles swapped.
        var paddedChannels = Kernels.Padded(channels);
        using var widened = nn.functional.pad(gradient, [0, 0, kernel - 1, kernel - 1]).contiguous();
        using var flipped = nn.functional.pad(weight.flip(2, 3).permute(2, 3, 0, 1), [0, paddedChannels - channels, 0, padded - outputs]).contiguous();
        using var noBias = zeros(paddedChannels);
        var inputGradient = empty(batch, size, size, paddedChannels);
        Kernels.Correlate(Floats(widened), batch, convSize, convSize + 2 * (kernel - 1), padded, Floats(flipped), kernel,
            Floats(noBias), paddedChannels, Floats(inputGradient), size, -(kernel - 1));
        return [inputGradient.narrow(3, 0, channels).permute(0, 3, 1, 2), weightGradient, biasGradient, null!];
    }

    // The elements of a contiguous float32 tensor made here, in place.
    private static Span<float> Floats(Tensor tensor) => MemoryMarshal.Cast<byte, float>(tensor.bytes);

    // [B, C, H, W] as contiguous channels-last memory [B, H, W, C] (no copy when it is laid out that way already).
    private static Tensor ChannelsLast(Tensor input) => input.detach().permute(0, 2, 3, 1).contiguous();

    // The valid convolution of channels-last `input` [B, H, H, C]: [B, O, S, S] over channels-last memory.
    private static Tensor Convolve(Tensor input, Tensor weight, Tensor bias)
    {
        var (batch, size, channels) = ((int)input.shape[0], (int)input.shape[1], (int)input.shape[3]);
        var (outputs, kernel) = ((int)weight.shape[0], (int)weight.shape[2]);
        var padded = Kernels.Padded(outputs);
        var convSize = size - kernel + 1;
        using var packed = nn.functional.pad(weight.detach().permute(2, 3, 1, 0), [0, padded - outputs]).contiguous();   // [k, k, C, Op]
        using var paddedBias = nn.functional.pad(bias.detach(), [0, padded - outputs]).contiguous();
        var output = empty(batch, convSize, convSize, padded);
        Kernels.Correlate(Floats(input), batch, size, size, channels, Floats(packed), kernel,
            Floats(paddedBias), padded, Floats(output), convSize, 0);
        return output.narrow(3, 0, outputs).permute(0, 3, 1, 2);
    }
}
