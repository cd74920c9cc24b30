namespace Sweep.Pruning.Engine;

/// <summary>
/// How the convolution ISA is chosen, in order: ONEDNN_MAX_CPU_ISA set by the user is respected;
/// SWEEP_CONV_ISA=default leaves oneDNN uncapped, SWEEP_CONV_ISA=&lt;ISA&gt; caps it there; otherwise the
/// per-machine verdict decides: cached and passed, uncapped; failed, or not checked yet, or the check could
/// not run, capped at SSE4.1. Every path is still checked against float64 at the first training convolution.
/// </summary>
public static class ConvolutionIsaPolicy
{
    /// <summary>The decision the environment imposes, or null when it leaves it to the per-machine verdict.</summary>
    /// <param name="applied">SWEEP_CONV_ISA_APPLIED: the value a Sweep process put in ONEDNN_MAX_CPU_ISA, which child processes inherit and must not take for the user's.</param>
    public static ConvolutionIsaDecision? FromEnvironment(string? oneDnnIsa, string? applied, string? sweepIsa)
    {
        if (!string.IsNullOrEmpty(oneDnnIsa) && oneDnnIsa != applied)
        {
            return new(oneDnnIsa, false, false, $"convolutions: {EngineSetup.OneDnnIsaVariable}={oneDnnIsa} set by the environment; respected.");
        }
        if (string.Equals(sweepIsa, "default", StringComparison.OrdinalIgnoreCase))
        {
            return new(null, true, false, $"convolutions: oneDNN chooses its ISA ({EngineSetup.SweepIsaVariable}=default); results are still checked against float64.");
        }
        if (!string.IsNullOrEmpty(sweepIsa))
        {
            return new(sweepIsa, true, false, $"convolutions: oneDNN capped at {sweepIsa} ({EngineSetup.SweepIsaVariable}={sweepIsa}).");
        }
        return null;
    }

    /// <summary>The decision of a cached verdict for this CPU and version; without one, capped and pending.</summary>
    public static ConvolutionIsaDecision FromCache(ConvolutionVerdictCache cache, CpuSignature cpu, string version)
    {
        var verdict = cache.TryRead(cpu, version, out var problem);
        if (verdict is null)
        {
            return new(EngineSetup.SafeIsa, true, true,
                $"convolutions: oneDNN capped at {EngineSetup.SafeIsa} until the per-machine check of its faster kernels has run ({problem}).");
        }
        return FromVerdict(verdict, $"cached in {cache.PathFor(cpu, version)}");
    }

    /// <summary>The cached verdict's decision, else the decision of running <paramref name="check"/> (the check process) now.</summary>
    public static ConvolutionIsaDecision Decide(ConvolutionVerdictCache cache, CpuSignature cpu, string version, Func<ConvolutionCheckOutcome> check)
    {
        var cached = FromCache(cache, cpu, version);
        return cached.Pending ? AfterCheck(cache, cpu, version, check()) : cached;
    }

    /// <summary>The decision after the check process: its verdict is cached; no verdict (it could not run) keeps the cap and caches nothing.</summary>
    public static ConvolutionIsaDecision AfterCheck(ConvolutionVerdictCache cache, CpuSignature cpu, string version, ConvolutionCheckOutcome outcome)
    {
        if (outcome.Report is null)
        {
            return new(EngineSetup.SafeIsa, true, false,
                $"convolutions: oneDNN capped at {EngineSetup.SafeIsa}: the per-machine check could not run ({outcome.Problem}); nothing cached, it runs again in the next process.");
        }
        var verdict = outcome.Report.ToVerdict(cpu, version);
        var where = $"now cached in {cache.PathFor(cpu, version)}";
        try
        {
            cache.Write(verdict, cpu);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            where = $"not cached: {ex.Message}";
        }
        return FromVerdict(verdict, where);
    }

    private static ConvolutionIsaDecision FromVerdict(ConvolutionVerdict verdict, string where) => verdict.Passed
        ? new(null, true, false,
            $"convolutions: oneDNN uncapped: its float32 kernels matched float64 in the per-machine check ({verdict.Describe()}; {where}); " +
            $"{EngineSetup.SweepIsaVariable}={EngineSetup.SafeIsa} caps it.")
        : new(EngineSetup.SafeIsa, true, false,
            $"convolutions: oneDNN capped at {EngineSetup.SafeIsa} ({EngineSetup.OneDnnIsaVariable}): its faster float32 kernels failed the per-machine check " +
            $"({verdict.Describe()}; {where}).");
}
