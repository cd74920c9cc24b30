using System.Diagnostics;
using Sweep.Pruning.Models;
using Sweep.Pruning.Training;
using static TorchSharp.torch;

namespace Sweep.Bench;

/// <summary>
/// Section `evaluation`: what a trial's per-epoch error evaluation costs on LeNet-5-Caffe (the deterministic
/// network on 10,000 images in chunks of 1,000, as ErrorEvaluator runs it), at full width and at a pruned
/// architecture of the study, with the convolution weights in libtorch's default layout and channels-last,
/// interleaved, one thread, and with conv1 as SingleChannelConvolution.Infer (the layer's evaluation path). The
/// variants' logits are compared with the library layout's first.
/// </summary>
internal static class EvaluationSection
{
    private const int Chunk = 1000;
    private const int Images = 10_000;

    public static void Run(Report report, BenchOptions o, TrainingData data, double roofline)
    {
        var threads = get_num_threads();
        set_num_threads(1);
        var (_, _, testImages, _) = data.Tensors;
        foreach (var (name, widths) in new[] { ("full width 20-50-500", new[] { 20, 50, 500 }), ("pruned 20-23-46", new[] { 20, 23, 46 }) })
        {
            using var scope = NewDisposeScope();
            using var network = GatedNetwork.Create(
                [
                    new LayerSpec("conv1", LayerKind.Convolution, widths[0], Kernel: 5, Pool: 2),
                    new LayerSpec("conv2", LayerKind.Convolution, widths[1], Kernel: 5, Pool: 2),
                    new LayerSpec("fc1", LayerKind.FullyConnected, widths[2]),
                    new LayerSpec("fc2", LayerKind.FullyConnected, data.Classes),
                ],
                1, data.Height, "kaiming-uniform", new Generator(1), theta0: 1.0);
            var gates = network.DeterministicGates();
            var images = testImages.narrow(0, 0, Math.Min(Images, data.TestCount));
            var count = (int)images.shape[0];
            var channelsLast = network.Layers.Select(l => l.Kind == LayerKind.Convolution ? ChannelsLast(l.Weight.detach()) : null).ToArray();

            // The variants: libtorch's conv2d throughout (SingleChannelConvolution off), the same with channels-last
            // convolution weights, and the layer as it is (conv1 by SingleChannelConvolution.Infer where it applies).
            var variants = new (string Name, Func<Tensor, Tensor> Forward, bool Own)[]
            {
                ("library layout", x => network.Forward(network.ShapeInput(x), gates), false),
                ("convolution weights channels-last", x => Forward(network, network.ShapeInput(x), gates, channelsLast), false),
                ("conv1 SingleChannelConvolution.Infer", x => network.Forward(network.ShapeInput(x), gates), true),
            };
            double Seconds(int v) => WithConv1(variants[v].Own, () =>
            {
                using var noGrad = no_grad();
                var clock = Stopwatch.StartNew();
                for (var start = 0; start < count; start += Chunk)
                {
                    using var step = NewDisposeScope();
                    variants[v].Forward(images.narrow(0, start, Math.Min(Chunk, count - start))).argmax(1);
                }
                return clock.Elapsed.TotalSeconds;
            });

            using (no_grad())
            {
                var reference = WithConv1(false, () => variants[0].Forward(images.narrow(0, 0, 200)));
                for (var v = 1; v < variants.Length; v++)
                {
                    var logits = WithConv1(variants[v].Own, () => variants[v].Forward(images.narrow(0, 0, 200)));
                    report.Add("evaluation", $"{name}: {variants[v].Name}, logits against the library layout's, max abs difference",
                        (logits - reference).abs().max().item<float>(), "", $"largest logit {reference.abs().max().item<float>():G4}");
                }
            }
            var samples = variants.Select(_ => new List<double>()).ToArray();
            for (var r = -1; r < o.Repeats; r++)
            {
                // Rotate the order by round, so each variant goes first, second and last equally often.
                for (var k = 0; k < variants.Length; k++)
                {
                    var v = (k + Math.Max(r, 0)) % variants.Length;
                    var t = Seconds(v);
                    if (r >= 0)
                    {
                        samples[v].Add(t);
                    }
                }
            }
            var flops = 2.0 * network.Count(network.PhysicalWidths()).Flops * count;
            var note = $"{count} test images, chunks of {Chunk}, 1 thread; FLOP limit {flops / (roofline * 1e9):F2} s at the roofline";
            for (var v = 0; v < variants.Length; v++)
            {
                report.Add("evaluation", $"{name}: {variants[v].Name}", Summary.Of(samples[v]), "s", v == 0 ? note : "");
            }
            for (var v = 1; v < variants.Length; v++)
            {
                report.Add("evaluation", $"{name}: {variants[v].Name} / library layout (paired)", Summary.Of(samples[v].Zip(samples[0], (x, y) => x / y)), "x", "same round, same process");
            }
        }
        set_num_threads(threads);
    }

    // Runs `measure` with conv1 as SingleChannelConvolution (own) or libtorch's, then restores the process default (on).
    private static T WithConv1<T>(bool own, Func<T> measure)
    {
        SingleChannelConvolution.Enabled = own;
        try
        {
            return measure();
        }
        finally
        {
            SingleChannelConvolution.Enabled = true;
        }
    }

    // [O, I, k, k] with channels-last strides: the same values, the layout oneDNN's NHWC kernels read.
    private static Tensor ChannelsLast(Tensor weight) => weight.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);

    // The deterministic forward pass of GatedNetwork, its convolutions run on the channels-last weights.
    private static Tensor Forward(GatedNetwork network, Tensor input, Tensor?[] gates, Tensor?[] convolutionWeights)
    {
        var h = input;
        for (var i = 0; i < network.Layers.Count; i++)
        {
            var layer = network.Layers[i];
            var u = layer.Kind == LayerKind.Convolution
                ? nn.functional.conv2d(h, convolutionWeights[i]!, layer.Bias)
                : layer.Linear(h);
            var z = layer.Post(u);
            if (i == network.Layers.Count - 1)
            {
                return z;
            }
            var a = layer.Activation(z);
            h = gates[i] is { } g ? GatedLayer.ApplyGates(a, g) : a;
        }
        throw new InvalidOperationException("a network has an output layer");
    }
}
