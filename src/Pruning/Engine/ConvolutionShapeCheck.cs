using TorchSharp;
using static TorchSharp.torch;

namespace Sweep.Pruning.Engine;

/// <summary>Compares one float32 convolution shape (forward, and both gradients where training takes them) with float64.</summary>
public static class ConvolutionShapeCheck
{
    public const double Tolerance = 1e-4;
    private const int Seed = 12345;

    /// <summary>Runs <paramref name="shape"/> on the convolution path this process has (its oneDNN ISA, oneDNN on or off) at the current thread count.</summary>
    public static ConvolutionCheckResult Run(ConvolutionShape shape)
    {
        EngineSetup.EnsureInitialized();
        using var scope = NewDisposeScope();
        var generator = new Generator(Seed);
        var output = shape.Size - shape.Kernel + 1;
        var input64 = randn(new long[] { shape.Batch, shape.InChannels, shape.Size, shape.Size }, dtype: float64, generator: generator);
        var weight64 = randn(new long[] { shape.OutChannels, shape.InChannels / shape.Groups, shape.Kernel, shape.Kernel }, dtype: float64, generator: generator) * 0.1;
        if (!shape.Gradients)
        {
            Tensor out32;
            using (no_grad())
            {
                out32 = nn.functional.conv2d(input64.to(float32), weight64.to(float32), groups: shape.Groups);
                var (exactInput, approx) = (input64, out32);
                if (shape.ReferenceExamples is int examples && examples < shape.Batch)
                {
                    var rows = ReferenceRows(shape.Batch, examples);
                    exactInput = input64.index_select(0, rows);
                    approx = out32.index_select(0, rows);
                }
                var exact = nn.functional.conv2d(exactInput, weight64, groups: shape.Groups);
                return new ConvolutionCheckResult(RelativeError(approx, exact), 0, 0, Tolerance);
            }
        }
        var upstream64 = randn(new long[] { shape.Batch, shape.OutChannels, output, output }, dtype: float64, generator: generator);
        var (o64, gin64, gw64) = ForwardBackward(input64, weight64, upstream64, shape.Groups);
        var (o32, gin32, gw32) = ForwardBackward(input64.to(float32), weight64.to(float32), upstream64.to(float32), shape.Groups);
        return new ConvolutionCheckResult(RelativeError(o32, o64), RelativeError(gin32, gin64), RelativeError(gw32, gw64), Tolerance);
    }

    // The first and the last examples: oneDNN splits a batch into blocks, and a wrong remainder block shows at the end.
    private static Tensor ReferenceRows(int batch, int examples)
    {
        var first = examples / 2;
        var indices = Enumerable.Range(0, first).Concat(Enumerable.Range(batch - (examples - first), examples - first)).Select(i => (long)i).ToArray();
        return tensor(indices, dtype: int64);
    }

    private static (Tensor Output, Tensor InputGrad, Tensor WeightGrad) ForwardBackward(Tensor input, Tensor weight, Tensor upstream, int groups)
    {
        var x = input.detach().requires_grad_();
        var w = weight.detach().requires_grad_();
        var y = nn.functional.conv2d(x, w, groups: groups);
        (y * upstream).sum().backward();
        return (y.detach(), x.grad!.detach(), w.grad!.detach());
    }

    private static double RelativeError(Tensor approx, Tensor exact)
    {
        var scale = exact.abs().max().item<double>();
        var diff = (approx.to(float64) - exact).abs().max().item<double>();
        // NaN compares false with the tolerance, so a NaN anywhere must survive max(): it does (torch propagates NaN).
        return diff / Math.Max(scale, 1e-30);
    }
}
