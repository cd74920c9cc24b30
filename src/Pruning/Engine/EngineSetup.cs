using System.Runtime.CompilerServices;

namespace Sweep.Pruning.Engine;

/// <summary>
/// Process-wide engine settings that must be in place before libtorch runs its first convolution.
/// oneDNN's fast (AVX and up) float32 convolution kernels compute wrong results on some CPUs
/// (seen on virtualized AMD EPYC with AVX-512: 14% error, NaN gradients), and oneDNN fixes its ISA
/// at the first convolution of a process (it reads ONEDNN_MAX_CPU_ISA then). So, unless the user chose an
/// ISA, Sweep caps oneDNN at SSE4.1, whose results match float64, until a per-machine check in a child
/// process (<see cref="ConvolutionCheckProcess"/>) has found the uncapped kernels correct on every shape the
/// models use; that verdict is cached per CPU and TorchSharp version (<see cref="ConvolutionIsaPolicy"/>).
/// The training process still checks its own path at its first convolution (<see cref="ConvolutionSelfCheck"/>).
/// </summary>
public static class EngineSetup
{
    /// <summary>oneDNN's own variable; when set by the user it is respected as is.</summary>
    public const string OneDnnIsaVariable = "ONEDNN_MAX_CPU_ISA";

    /// <summary>Sweep's override: an ISA name for oneDNN, or "default" to leave oneDNN's choice alone.</summary>
    public const string SweepIsaVariable = "SWEEP_CONV_ISA";

    public const string SafeIsa = "SSE41";

    /// <summary>The value a Sweep process put in ONEDNN_MAX_CPU_ISA; processes it starts inherit both and know the ISA is not the user's choice.</summary>
    public const string AppliedIsaVariable = "SWEEP_CONV_ISA_APPLIED";

    /// <summary>OpenMP's (libgomp's) wait policy, read once when libtorch loads; when set by the user it is respected as is.</summary>
    public const string OmpWaitPolicyVariable = "OMP_WAIT_POLICY";

    /// <summary>Sweep's override: "default" leaves OpenMP's own wait policy (spin, then sleep) alone.</summary>
    public const string SweepWaitVariable = "SWEEP_OMP_WAIT";

    private static readonly Lock Gate = new();
    private static string? _status;
    private static string _threads = "";
    private static ConvolutionIsaDecision? _decision;

    /// <summary>What was decided about the convolution kernels, for hosts to log.</summary>
    public static string Status
    {
        get
        {
            EnsureInitialized();
            lock (Gate)
            {
                return _status!;
            }
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
            _threads = threads;
            var decision = ConvolutionIsaPolicy.FromEnvironment(
                Environment.GetEnvironmentVariable(OneDnnIsaVariable),
                Environment.GetEnvironmentVariable(AppliedIsaVariable),
                Environment.GetEnvironmentVariable(SweepIsaVariable));
            if (decision is null)
            {
                try
                {
                    decision = ConvolutionIsaPolicy.FromCache(ConvolutionVerdictCache.Default, CpuSignature.Current, ConvolutionVerdictCache.CurrentVersion);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
                {
                    decision = new(SafeIsa, true, false, $"convolutions: oneDNN capped at {SafeIsa}: the cached verdicts cannot be read ({ex.Message}).");
                }
            }
            Apply(decision);
        }
    }

    /// <summary>
    /// Runs the per-machine convolution check when no verdict was cached (once per process, in a child
    /// process, before this process's first convolution) and lifts the cap where it passed. Idempotent; a no-op
    /// when the environment chose the ISA or a cached verdict decided.
    /// </summary>
    public static void DecideConvolutions()
    {
        EnsureInitialized();
        lock (Gate)
        {
            if (_decision is not { Pending: true })
            {
                return;
            }
            // A verdict cached since load (another process on this machine checked meanwhile) is used as is.
            var decision = ConvolutionIsaPolicy.Decide(ConvolutionVerdictCache.Default, CpuSignature.Current, ConvolutionVerdictCache.CurrentVersion,
                () => ConvolutionCheckProcess.Run());
            Apply(decision);
        }
    }

    // Called under Gate.
    private static void Apply(ConvolutionIsaDecision decision)
    {
        if (decision.SetByProcess)
        {
            if (decision.Cap is null)
            {
                NativeEnvironment.Unset(OneDnnIsaVariable);
                NativeEnvironment.Unset(AppliedIsaVariable);
            }
            else
            {
                NativeEnvironment.Set(OneDnnIsaVariable, decision.Cap);
                NativeEnvironment.Set(AppliedIsaVariable, decision.Cap);
            }
        }
        _decision = decision;
        _status = $"{decision.Status} Threads: {_threads}.";
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
