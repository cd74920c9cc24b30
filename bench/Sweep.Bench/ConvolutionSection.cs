using System.Diagnostics;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using Sweep.Pruning.Engine;
using Sweep.Pruning.Models;
using Sweep.Pruning.Training;
using static TorchSharp.torch;

namespace Sweep.Bench;

/// <summary>
/// Section `conv`: a convolution of Sweep's own for LeNet-5-Caffe's training shapes (channels-last, im2col into
/// a reused buffer, one sgemm forward, one per gradient, col2im of the input gradient) against libtorch's
/// conv2d with autograd on this process's path (oneDNN uncapped where the per-machine check passed),
/// interleaved, one thread, after a float64 check of both on every shape.
/// </summary>
internal static class ConvolutionSection
{
    private const int Batch = 100;
    private const int Kernel = 5;

    public static void Run(Report report, BenchOptions o, TrainingData data)
    {
        var threads = get_num_threads();
        set_num_threads(1);
        // conv2 also at widths a lenet5-study trial reaches (conv1 20 and 15 channels in, conv2 24 and 18 out).
        foreach (var (name, inputs, outputs, size) in new[]
                 { ("conv1", 1, 20, 28), ("conv2", 20, 50, 12), ("conv2 pruned 20-24", 20, 24, 12), ("conv2 pruned 15-18", 15, 18, 12) })
        {
            Shape(report, o, name, inputs, outputs, size);
        }
        // --conv-training off: the shapes only.
        if (!(o.Extra.TryGetValue("conv-training", out var training) && training == "off"))
        {
            Training(report, o, data);
        }
        set_num_threads(threads);
    }

    // The gated trainer's epoch (no pruning) with the layers' convolutions by DirectConvolution and without it (conv1
    // SingleChannelConvolution, conv2 libtorch's), interleaved; the estimator's conv1 flips use the direct kernels either way.
    private static void Training(Report report, BenchOptions o, TrainingData data)
    {
        var limit = o.Lenet5Limit;
        var scale = 60000.0 / limit;
        foreach (var estimator in new[] { "exact", "multilinear" })
        {
            var direct = new List<double>();
            var without = new List<double>();
            for (var r = -1; r < o.Repeats; r++)
            {
                foreach (var enabled in r % 2 == 0 ? new[] { true, false } : new[] { false, true })
                {
                    DirectConvolution.Enabled = enabled;
                    var t = TrainingSections.GatedEpoch(data, "lenet5-caffe", estimator, r < 0 ? Math.Min(limit, 500) : limit) * scale;
                    if (r >= 0)
                    {
                        (enabled ? direct : without).Add(t);
                    }
                }
            }
            DirectConvolution.Enabled = true;
            var note = $"gated LeNet-5-Caffe epoch, no pruning, {limit} examples scaled to 60000, 1 thread";
            report.Add("conv", $"{estimator}: epoch, conv1 SingleChannelConvolution, conv2 libtorch's", Summary.Of(without), "s", note);
            report.Add("conv", $"{estimator}: epoch, DirectConvolution", Summary.Of(direct), "s");
            report.Add("conv", $"{estimator}: DirectConvolution / without (paired)", Summary.Of(direct.Zip(without, (a, b) => a / b)), "x", "interleaved, same process");
        }
    }

    private static void Shape(Report report, BenchOptions o, string name, int inputs, int outputs, int size)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(5);
        var s = size - Kernel + 1;
        var needInputGradient = inputs > 1;   // conv1 reads the images: no input gradient in training
        var x = randn(new long[] { Batch, inputs, size, size }, generator: generator);
        var w = randn(new long[] { outputs, inputs, Kernel, Kernel }, generator: generator).mul_(0.1);
        var b = randn(outputs, generator: generator);
        var gy = randn(new long[] { Batch, outputs, s, s }, generator: generator);

        // Channels-last operands, as a channels-last network would hold them.
        var xl = x.permute(0, 2, 3, 1).contiguous();
        var gyl = gy.permute(0, 2, 3, 1).contiguous().view(Batch * s * s, outputs);
        var wl = w.permute(0, 2, 3, 1).reshape(outputs, Kernel * Kernel * inputs).contiguous();
        var cols = empty(Batch * s * s, Kernel * Kernel * inputs);
        var gx = zeros(Batch, size, size, inputs);

        Tensor[] Library()
        {
            var xg = x.detach().requires_grad_(needInputGradient);
            var wg = w.detach().requires_grad_(true);
            var bg = b.detach().requires_grad_(true);
            var y = nn.functional.conv2d(xg, wg, bg);
            var grads = autograd.grad([y], needInputGradient ? [wg, bg, xg] : [wg, bg], [gy]);
            return [y.detach(), .. grads];
        }
        Tensor[] Own()
        {
            Im2Col(TensorMemory.Floats(xl), TensorMemory.Floats(cols), inputs, size, s);
            var y = addmm(b, cols, wl.t(), 1, 1);            // [B*S*S, O], channels-last
            var gw = gyl.t().mm(cols);                     // [O, k*k*C]
            var gb = gyl.sum(new long[] { 0 });
            if (!needInputGradient)
            {
                return [y, gw, gb];
            }
            var gcols = gyl.mm(wl);                        // [B*S*S, k*k*C]
            gx.zero_();
            Col2Im(TensorMemory.Floats(gcols), TensorMemory.Floats(gx), inputs, size, s);
            return [y, gw, gb, gx];
        }

        // The direct convolution of the layer (DirectConvolution), on the channels-last input a pooled conv1 output is,
        // and libtorch's on that same input (oneDNN picks its kernels by the memory format).
        var channelsLast = xl.permute(0, 3, 1, 2);
        Tensor[] WithAutograd(Func<Tensor, Tensor, Tensor, Tensor> convolution, Tensor input)
        {
            var xg = input.detach().requires_grad_(needInputGradient);
            var wg = w.detach().requires_grad_(true);
            var bg = b.detach().requires_grad_(true);
            var y = convolution(xg, wg, bg);
            var grads = autograd.grad([y], needInputGradient ? [wg, bg, xg] : [wg, bg], [gy]);
            return [y.detach(), .. grads];
        }
        Tensor[] Direct() => WithAutograd(DirectConvolution.Compute, channelsLast);
        Tensor[] LibraryChannelsLast() => WithAutograd((xg, wg, bg) => nn.functional.conv2d(xg, wg, bg), channelsLast);
        // conv1's layer path before the direct kernel: im2col and one sgemm per pass (one input channel only).
        Tensor[] SingleChannel() => WithAutograd(SingleChannelConvolution.Apply, x);

        // float64 reference of both.
        var x64 = x.to_type(float64).requires_grad_(needInputGradient);
        var w64 = w.to_type(float64).requires_grad_(true);
        var b64 = b.to_type(float64).requires_grad_(true);
        var y64 = nn.functional.conv2d(x64, w64, b64);
        var r64 = autograd.grad([y64], needInputGradient ? [w64, b64, x64] : [w64, b64], [gy.to_type(float64)]);
        Tensor[] reference = [y64.detach(), .. r64];
        var lib = Library();
        var own = Own();
        // The own results back in NCHW / OIHW order for the comparison.
        Tensor[] ownNchw = [own[0].view(Batch, s, s, outputs).permute(0, 3, 1, 2), own[1].view(outputs, Kernel, Kernel, inputs).permute(0, 3, 1, 2), own[2],
            .. needInputGradient ? new[] { own[3].permute(0, 3, 1, 2) } : []];
        string[] parts = ["output", "weight gradient", "bias gradient", "input gradient"];
        for (var k = 0; k < reference.Length; k++)
        {
            report.Add("conv", $"{name}: {parts[k]}, own, error vs float64", RelativeError(ownNchw[k], reference[k]), "", "max abs error / max abs value");
            report.Add("conv", $"{name}: {parts[k]}, library, error vs float64", RelativeError(lib[k], reference[k]), "", "max abs error / max abs value");
        }

        var direct = Direct();
        var libraryCl = LibraryChannelsLast();
        for (var k = 0; k < reference.Length; k++)
        {
            report.Add("conv", $"{name}: {parts[k]}, direct, error vs float64", RelativeError(direct[k], reference[k]), "", "max abs error / max abs value");
            report.Add("conv", $"{name}: {parts[k]}, library channels-last, error vs float64", RelativeError(libraryCl[k], reference[k]), "", "max abs error / max abs value");
        }

        for (var r = 0; r < 3; r++)
        {
            Time(Library);
            Time(Own);
            Time(Direct);
            Time(LibraryChannelsLast);
            if (!needInputGradient)
            {
                Time(SingleChannel);
            }
        }
        var libraryT = new List<double>();
        var ownT = new List<double>();
        var directT = new List<double>();
        var libraryClT = new List<double>();
        var singleT = new List<double>();
        for (var r = 0; r < Math.Max(o.Repeats, 5) * 4; r++)
        {
            libraryT.Add(Time(Library));
            ownT.Add(Time(Own));
            directT.Add(Time(Direct));
            libraryClT.Add(Time(LibraryChannelsLast));
            if (!needInputGradient)
            {
                singleT.Add(Time(SingleChannel));
            }
        }
        var note = $"batch {Batch}, {inputs}->{outputs}, {size}x{size}, forward and {(needInputGradient ? "both gradients" : "the weight gradient")}; oneDNN {(OneDnnSwitch.IsEnabled ? Environment.GetEnvironmentVariable(EngineSetup.OneDnnIsaVariable) is { Length: > 0 } isa ? isa : "uncapped" : "off")}";
        report.Add("conv", $"{name}: library (conv2d, autograd)", Summary.Of(libraryT), "ms", note);
        report.Add("conv", $"{name}: own (channels-last im2col + sgemm)", Summary.Of(ownT), "ms");
        report.Add("conv", $"{name}: own / library (paired)", Summary.Of(ownT.Zip(libraryT, (a, c) => a / c)), "x", "interleaved, same process");
        report.Add("conv", $"{name}: library, channels-last input", Summary.Of(libraryClT), "ms");
        report.Add("conv", $"{name}: direct (DirectConvolution, channels-last input)", Summary.Of(directT), "ms");
        report.Add("conv", $"{name}: direct / library (paired)", Summary.Of(directT.Zip(libraryT, (a, c) => a / c)), "x", "interleaved, same process");
        report.Add("conv", $"{name}: direct / library channels-last (paired)", Summary.Of(directT.Zip(libraryClT, (a, c) => a / c)), "x", "interleaved, same process");
        if (!needInputGradient)
        {
            report.Add("conv", $"{name}: SingleChannelConvolution", Summary.Of(singleT), "ms");
            report.Add("conv", $"{name}: direct / SingleChannelConvolution (paired)", Summary.Of(directT.Zip(singleT, (a, c) => a / c)), "x", "interleaved, same process");
        }
    }

    // cols[(b*S + y)*S + x, (ky*k + kx)*C + c] = x[b, y + ky, x + kx, c]: each (row, ky) is one contiguous k*C run of the input.
    private static void Im2Col(ReadOnlySpan<float> x, Span<float> cols, int channels, int size, int s)
    {
        var run = Kernel * channels;
        var width = Kernel * run;
        for (var b = 0; b < Batch; b++)
        {
            for (var y = 0; y < s; y++)
            {
                for (var xx = 0; xx < s; xx++)
                {
                    var row = cols.Slice(((b * s + y) * s + xx) * width, width);
                    for (var ky = 0; ky < Kernel; ky++)
                    {
                        x.Slice(((b * size + y + ky) * size + xx) * channels, run).CopyTo(row.Slice(ky * run, run));
                    }
                }
            }
        }
    }

    // The adjoint of Im2Col: every column run added back into the input gradient.
    private static void Col2Im(ReadOnlySpan<float> cols, Span<float> gx, int channels, int size, int s)
    {
        var run = Kernel * channels;
        var width = Kernel * run;
        for (var b = 0; b < Batch; b++)
        {
            for (var y = 0; y < s; y++)
            {
                for (var xx = 0; xx < s; xx++)
                {
                    var row = cols.Slice(((b * s + y) * s + xx) * width, width);
                    for (var ky = 0; ky < Kernel; ky++)
                    {
                        var target = gx.Slice(((b * size + y + ky) * size + xx) * channels, run);
                        TensorPrimitives.Add(target, row.Slice(ky * run, run), target);
                    }
                }
            }
        }
    }

    private static double RelativeError(Tensor actual, Tensor reference)
    {
        using var scope = NewDisposeScope();
        var r = reference.detach().to_type(float64);
        return (actual.detach().to_type(float64) - r).abs().max().item<double>() / r.abs().max().item<double>();
    }

    private static double Time(Func<Tensor[]> action)
    {
        using var scope = NewDisposeScope();
        var clock = Stopwatch.StartNew();
        action();
        return clock.Elapsed.TotalMilliseconds;
    }
}
