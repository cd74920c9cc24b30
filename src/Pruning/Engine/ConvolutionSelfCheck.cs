namespace Sweep.Pruning.Engine;

/// <summary>
/// Compares a float32 convolution (forward and both gradients) with the same computation in
/// float64, so no machine silently trains on wrong numbers. Cached per process.
/// </summary>
public static class ConvolutionSelfCheck
{
    public const double Tolerance = ConvolutionShapeCheck.Tolerance;

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
        // The per-machine verdict first (a child process when none is cached): it may lift the ISA cap, which only works before this process's first convolution.
        EngineSetup.DecideConvolutions();
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

    // The first convolution of the training process: the shape of LeNet-5-Caffe's second convolution, where the broken kernels were first seen.
    private static ConvolutionCheckResult Run() => ConvolutionShapeCheck.Run(ConvolutionShapes.SelfCheck);
}
