using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Sweep.Pruning.Models;

/// <summary>
/// A training network's first convolution when it reads one input channel (LeNet-5-Caffe's conv1 on
/// the images), as im2col plus one sgemm forward and one for the weight gradient, the output produced
/// channels-last. libtorch's oneDNN kernels are slow for a single input channel (their forward and
/// weight gradient cost about as much as conv2's forward and both gradients, for an eighth of the
/// work; docs/PERFORMANCE.md, section `conv`). The input needs no gradient (it is the data), so the
/// backward pass computes the weight and bias gradients only. Its forward-only form (<see cref="Infer"/>)
/// is conv1's evaluation path; in training <see cref="DirectConvolution"/> runs instead where its kernels do
/// (faster there), and this form where they do not.
/// </summary>
internal sealed class SingleChannelConvolution : autograd.SingleTensorFunction<SingleChannelConvolution>
{
    /// <summary>Process-wide: whether <see cref="GatedLayer"/> uses it (the harness turns it off to compare with libtorch's in one process).</summary>
    public static bool Enabled { get; set; } = true;

    public override string Name => nameof(SingleChannelConvolution);

    /// <summary>Whether it computes this convolution: training (gradients on), one input channel, float32 on the CPU, an input that needs no gradient.</summary>
    public static bool Applies(Tensor input, Tensor weight) =>
        Enabled && is_grad_enabled() && weight.requires_grad && !input.requires_grad && input.dim() == 4 && input.shape[1] == 1
        && weight.dtype == ScalarType.Float32 && input.dtype == ScalarType.Float32 && input.device_type == DeviceType.CPU;

    /// <summary>conv2d(input, weight, bias) for input [B, 1, H, H] and weight [O, 1, k, k]: [B, O, S, S] (channels-last in memory).</summary>
    public static Tensor Apply(Tensor input, Tensor weight, Tensor bias) => apply(input, weight, bias);

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var input = ((Tensor)vars[0]).contiguous();
        var weight = (Tensor)vars[1];
        var bias = (Tensor)vars[2];
        var batch = (int)input.shape[0];
        var size = (int)input.shape[2];
        var kernel = (int)weight.shape[2];
        var outputs = weight.shape[0];
        var convSize = size - kernel + 1;
        var cols = empty(batch * convSize * convSize, kernel * kernel);
        Im2Col(MemoryMarshal.Cast<byte, float>(input.bytes), MemoryMarshal.Cast<byte, float>(cols.bytes), batch, size, kernel, convSize);
        var y = addmm(bias, cols, weight.view(outputs, kernel * kernel).t(), 1, 1);   // [B*S*S, O]
        ctx.save_for_backward([cols]);
        return y.view(batch, convSize, convSize, outputs).permute(0, 3, 1, 2);
    }

    /// <summary>Whether <see cref="Infer"/> computes this convolution: no gradients, one input channel, float32 on the CPU.</summary>
    public static bool AppliesWithoutGradients(Tensor input, Tensor weight) =>
        Enabled && !is_grad_enabled() && input.dim() == 4 && input.shape[1] == 1
        && weight.dtype == ScalarType.Float32 && input.dtype == ScalarType.Float32 && input.device_type == DeviceType.CPU;

    /// <summary>
    /// The same convolution for evaluation (no autograd record), [B, O, S, S] channels-last: im2col and one sgemm per
    /// block of <see cref="InferenceBlock"/> images into one output, so the im2col buffer stays in cache at any batch size.
    /// </summary>
    public static Tensor Infer(Tensor input, Tensor weight, Tensor bias)
    {
        input = input.contiguous();
        var batch = (int)input.shape[0];
        var size = (int)input.shape[2];
        var kernel = (int)weight.shape[2];
        var outputs = weight.shape[0];
        var convSize = size - kernel + 1;
        var pixels = convSize * convSize;
        var y = empty(batch * pixels, outputs);
        var weightT = weight.view(outputs, kernel * kernel).t();
        var block = Math.Min(batch, InferenceBlock);
        using var cols = empty(block * pixels, kernel * kernel);
        var images = MemoryMarshal.Cast<byte, float>(input.bytes);
        for (var first = 0; first < batch; first += block)
        {
            var count = Math.Min(block, batch - first);
            var part = cols.narrow(0, 0, count * pixels);
            Im2Col(images.Slice(first * size * size, count * size * size), MemoryMarshal.Cast<byte, float>(cols.bytes), count, size, kernel, convSize);
            var rows = y.narrow(0, (long)first * pixels, (long)count * pixels);
            rows.copy_(bias.expand(rows.shape[0], outputs));
            rows.addmm_(part, weightT);
        }
        return y.view(batch, convSize, convSize, outputs).permute(0, 3, 1, 2);
    }

    /// <summary>Images per im2col block in <see cref="Infer"/>: 100 LeNet-5-Caffe images are a 5.8 MB buffer.</summary>
    private const int InferenceBlock = 100;

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
    {
        var cols = ctx.get_saved_variables()[0];
        var outputs = gradOutput.shape[1];
        var kernel = (long)Math.Round(Math.Sqrt(cols.shape[1]));
        var g = gradOutput.permute(0, 2, 3, 1).reshape(-1, outputs);   // channels-last: a view when it arrives in that layout
        var weightGradient = g.t().mm(cols).view(outputs, 1, kernel, kernel);
        var biasGradient = g.sum(new long[] { 0 });
        return [null!, weightGradient, biasGradient];
    }

    // cols[(b*S + y)*S + x, ky*k + kx] = input[b, 0, y + ky, x + kx].
    private static void Im2Col(ReadOnlySpan<float> input, Span<float> cols, int batch, int size, int kernel, int convSize)
    {
        var width = kernel * kernel;
        for (var b = 0; b < batch; b++)
        {
            var image = input.Slice(b * size * size, size * size);
            for (var y = 0; y < convSize; y++)
            {
                for (var x = 0; x < convSize; x++)
                {
                    var row = cols.Slice(((b * convSize + y) * convSize + x) * width, width);
                    for (var ky = 0; ky < kernel; ky++)
                    {
                        image.Slice((y + ky) * size + x, kernel).CopyTo(row.Slice(ky * kernel, kernel));
                    }
                }
            }
        }
    }
}
