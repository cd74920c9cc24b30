using System.Runtime.CompilerServices;

namespace Sweep.Pruning.Engine;

/// <summary>
/// Process-wide engine settings that must be in place before libtorch runs its first convolution.
/// oneDNN's fast (AVX and up) float32 convolution kernels compute wrong results on some CPUs
/// (seen on virtualized AMD EPYC with AVX-512: 14% error, NaN gradients), and oneDNN fixes its ISA
/// at the first convolution of a process. So, unless the user chose an ISA, Sweep caps oneDNN at
/// SSE4.1, whose results match float64, and verifies convolutions against float64 before training
/// (see <see cref="ConvolutionSelfCheck"/>).
/// </summary>
public static class EngineSetup
{
    /// <summary>oneDNN's own variable; when set by the user it is respected as is.</summary>
    public const string OneDnnIsaVariable = "ONEDNN_MAX_CPU_ISA";

    /// <summary>Sweep's override: an ISA name for oneDNN, or "default" to leave oneDNN's choice alone.</summary>
    public const string SweepIsaVariable = "SWEEP_CONV_ISA";

    public const string SafeIsa = "SSE41";

    private static readonly Lock Gate = new();
    private static string? _status;

    /// <summary>What was decided about the convolution kernels, for hosts to log.</summary>
    public static string Status
    {
        get
        {
            EnsureInitialized();
            return _status!;
        }
    }

    [ModuleInitializer]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2255",
        Justification = "Must run before any convolution of the process, whoever the host is.")]
    internal static void InitializeOnLoad() => EnsureInitialized();

    /// <summary>Applies the convolution ISA decision once per process; safe to call repeatedly.</summary>
    public static void EnsureInitialized()
    {
        lock (Gate)
        {
            if (_status is not null)
            {
                return;
            }
            var userIsa = Environment.GetEnvironmentVariable(OneDnnIsaVariable);
            var sweepIsa = Environment.GetEnvironmentVariable(SweepIsaVariable);
            if (!string.IsNullOrEmpty(userIsa))
            {
                _status = $"convolutions: {OneDnnIsaVariable}={userIsa} set by the environment; respected.";
            }
            else if (string.Equals(sweepIsa, "default", StringComparison.OrdinalIgnoreCase))
            {
                _status = $"convolutions: oneDNN chooses its ISA ({SweepIsaVariable}=default); results are still checked against float64.";
            }
            else
            {
                var isa = string.IsNullOrEmpty(sweepIsa) ? SafeIsa : sweepIsa;
                NativeEnvironment.Set(OneDnnIsaVariable, isa);
                _status = $"convolutions: oneDNN capped at {isa} ({OneDnnIsaVariable}), because its faster float32 kernels " +
                          $"compute wrong results on some CPUs; set {SweepIsaVariable}=default to lift the cap where the check passes.";
            }
        }
    }
}
