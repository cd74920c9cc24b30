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

    /// <summary>OpenMP's (libgomp's) wait policy, read once when libtorch loads; when set by the user it is respected as is.</summary>
    public const string OmpWaitPolicyVariable = "OMP_WAIT_POLICY";

    /// <summary>Sweep's override: "default" leaves OpenMP's own wait policy (spin, then sleep) alone.</summary>
    public const string SweepWaitVariable = "SWEEP_OMP_WAIT";

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
            // libtorch's OpenMP threads spin between parallel regions by default. Where cores are shared
            // (trial slots side by side, other processes) the spinning threads take the cores the working
            // thread needs: a dense LeNet-300-100 step at 2 threads was 6-30x slower (median 17x) than with PASSIVE
            // waiting on a loaded 2-core machine (docs/PERFORMANCE.md, "Threads"). Must precede libtorch's loading.
            var waitPolicy = Environment.GetEnvironmentVariable(OmpWaitPolicyVariable);
            var keepOmpDefault = string.Equals(Environment.GetEnvironmentVariable(SweepWaitVariable), "default", StringComparison.OrdinalIgnoreCase);
            var threads = !string.IsNullOrEmpty(waitPolicy) ? $"{OmpWaitPolicyVariable}={waitPolicy} set by the environment"
                : keepOmpDefault ? $"OpenMP's default wait policy ({SweepWaitVariable}=default)"
                : $"OpenMP threads wait passively ({OmpWaitPolicyVariable}=PASSIVE; {SweepWaitVariable}=default keeps OpenMP's spinning)";
            if (string.IsNullOrEmpty(waitPolicy) && !keepOmpDefault)
            {
                NativeEnvironment.Set(OmpWaitPolicyVariable, "PASSIVE");
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
            _status += $" Threads: {threads}.";
        }
    }

    /// <summary>
    /// Sets libtorch's intra-op thread count for the whole process; every thread applies it at its first
    /// parallel operation. Without it libtorch runs one thread per core in every trial, so trials side by
    /// side (slots, or silos sharing a machine) oversubscribe the cores. Idempotent.
    /// </summary>
    public static void UseThreads(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        EnsureInitialized();
        lock (Gate)
        {
            if (TorchSharp.torch.get_num_threads() != threads)
            {
                TorchSharp.torch.set_num_threads(threads);
            }
        }
    }
}
