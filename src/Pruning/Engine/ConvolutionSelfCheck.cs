using TorchSharp;
using static TorchSharp.torch;

namespace Sweep.Pruning.Engine;

/// <summary>The largest float32-vs-float64 differences of one convolution, relative to each output's largest magnitude.</summary>
public sealed record ConvolutionCheckResult(double ForwardError, double InputGradientError, double WeightGradientError, double Tolerance)
{
    public bool Passed =>
        ForwardError <= Tolerance && InputGradientError <= Tolerance && WeightGradientError <= Tolerance
        && !double.IsNaN(ForwardError + InputGradientError + WeightGradientError);

    public override string ToString() =>
        $"conv2d float32 vs float64: forward {ForwardError:E2}, input gradient {InputGradientError:E2}, " +
        $"weight gradient {WeightGradientError:E2} (tolerance {Tolerance:E0})";
}

/// <summary>
/// Compares a float32 convolution (forward and both gradients) with the same computation in
/// float64, so no machine silently trains on wrong numbers. Cached per process.
/// </summary>
public static class ConvolutionSelfCheck
{
    public const double Tolerance = 1e-4;

    private static readonly Lazy<ConvolutionCheckResult> Cached = new(CheckAndFallBack, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The check of the convolution path this process trains with (after any fallback).</summary>
    public static ConvolutionCheckResult Result => Cached.Value;

    /// <summary>What the check found and which path convolutions take, for hosts to log.</summary>
    public static string Status { get; private set; } = "convolutions: not checked yet.";

    /// <summary>Raised once per process, with <see cref="Status"/>, when the check has run (before the first training convolution).</summary>
    public static event Action<string>? Checked;

    /// <summary>Checks once per process; throws with the measured errors when no correct path exists.</summary>
    public static void EnsurePassed()
    {
        var result = Cached.Value;
        if (!result.Passed)
        {
            throw new InvalidOperationException(
                $"Convolutions compute wrong float32 results in this process, with and without oneDNN: {result}. {EngineSetup.Status} " +
                $"Set {EngineSetup.SweepIsaVariable}=SSE41 (or {EngineSetup.OneDnnIsaVariable}=SSE41) before starting; see README, Troubleshooting.");
        }
    }

    // Where oneDNN's kernels are wrong, switch the process to libtorch's own convolution and check that.
    private static ConvolutionCheckResult CheckAndFallBack()
    {
        var first = Run();
        if (first.Passed)
        {
            Status = $"{EngineSetup.Status} Check passed: {first}.";
            Checked?.Invoke(Status);
            return first;
        }
        OneDnnSwitch.SetEnabled(false);
        var second = Run();
        Status = $"{EngineSetup.Status} oneDNN convolutions failed the check ({first}); switched to libtorch's native convolution: {second}.";
        Checked?.Invoke(Status);
        return second;
    }

    internal static ConvolutionCheckResult RunNow() => Run();

    private static ConvolutionCheckResult Run()
    {
        EngineSetup.EnsureInitialized();
        using var scope = NewDisposeScope();
        var generator = new Generator(12345);
        // The shape of LeNet-5-Caffe's second convolution, where the broken kernels were first seen.
        var input64 = randn(new long[] { 100, 20, 12, 12 }, dtype: float64, generator: generator);
        var weight64 = randn(new long[] { 50, 20, 5, 5 }, dtype: float64, generator: generator) * 0.1;
        var upstream64 = randn(new long[] { 100, 50, 8, 8 }, dtype: float64, generator: generator);

        var (out64, gin64, gw64) = ForwardBackward(input64, weight64, upstream64);
        var (out32, gin32, gw32) = ForwardBackward(input64.to(float32), weight64.to(float32), upstream64.to(float32));
        return new ConvolutionCheckResult(
            RelativeError(out32, out64), RelativeError(gin32, gin64), RelativeError(gw32, gw64), Tolerance);
    }

    private static (Tensor Output, Tensor InputGrad, Tensor WeightGrad) ForwardBackward(Tensor input, Tensor weight, Tensor upstream)
    {
        var x = input.detach().requires_grad_();
        var w = weight.detach().requires_grad_();
        var y = nn.functional.conv2d(x, w);
        (y * upstream).sum().backward();
        return (y.detach(), x.grad!.detach(), w.grad!.detach());
    }

    private static double RelativeError(Tensor approx, Tensor exact)
    {
        var scale = exact.abs().max().item<double>();
        var diff = (approx.to(float64) - exact).abs().max().item<double>();
        return diff / Math.Max(scale, 1e-30);
    }
}
