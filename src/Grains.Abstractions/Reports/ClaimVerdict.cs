namespace Sweep.Grains.Abstractions.Reports;

/// <summary>
/// The outcome of one claim of the method for one group of trials: the test that decided it, the
/// margin or threshold, the decisive measurement, and how many trials are missing when it is inconclusive.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ClaimVerdict
{
    /// <summary>"deterministic", "init-robust", "width-robust" or "accurate" (see <see cref="Claims"/>).</summary>
    [Id(0)] public required string Claim { get; init; }
    [Id(1)] public required Verdict Verdict { get; init; }
    /// <summary>Human-readable: what was measured, with its interval, against which margin or threshold, and why.</summary>
    [Id(2)] public required string Detail { get; init; }
    /// <summary>The decisive measured value (null when nothing could be measured).</summary>
    [Id(3)] public double? Measured { get; init; }
    /// <summary>The threshold the claim is judged against (accurate, deterministic); null when none applies.</summary>
    [Id(4)] public double? Threshold { get; init; }
    /// <summary>The test, e.g. "TOST (Welch t), Holm-adjusted" or "one-sided t".</summary>
    [Id(5)] public string Test { get; init; } = "";
    /// <summary>Computed on a sweep with unfinished trials: may change when they finish.</summary>
    [Id(6)] public bool Provisional { get; init; }
    /// <summary>Trials still needed to reach the minimum per level (0 when none are missing).</summary>
    [Id(7)] public int MissingTrials { get; init; }
    /// <summary>The level comparisons behind an equivalence claim (init-robust, width-robust).</summary>
    [Id(8)] public IReadOnlyList<LevelComparison> Comparisons { get; init; } = Array.Empty<LevelComparison>();
    /// <summary>The decisive Holm-adjusted p-value, when the claim was decided by a test.</summary>
    [Id(9)] public double? PValue { get; init; }
    /// <summary>Collapses and divergences of the trials the claim is about (they count against robustness).</summary>
    [Id(10)] public FailureRate? MethodFailures { get; init; }
}
