namespace Sweep.Grains.Abstractions.Reports;

/// <summary>
/// The criteria the verdicts used, resolved from the spec's `verdicts` section and the defaults;
/// reported with every report so that each verdict can be judged.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record VerdictCriteria
{
    /// <summary>Confidence of the intervals (0.95): alpha = 1 - Confidence for every test.</summary>
    [Id(0)] public double Confidence { get; init; } = 0.95;
    /// <summary>Completed trials needed per compared level (and per group); fewer gives inconclusive.</summary>
    [Id(1)] public int MinTrials { get; init; } = 3;
    /// <summary>Equivalence margin of a layer's final width, as a fraction of its mean final width in the group.</summary>
    [Id(2)] public double WidthMargin { get; init; } = 0.10;
    /// <summary>Equivalence margin of test error, absolute (0.003 = 0.3 points).</summary>
    [Id(3)] public double ErrorMargin { get; init; } = 0.003;
    /// <summary>deterministic: most gates strictly between 0 and 1 a trial may end with.</summary>
    [Id(4)] public int MaxUndecided { get; init; }
    /// <summary>accurate: the largest mean test error; null when none is known (the claim is then reported, not judged).</summary>
    [Id(5)] public double? MaxTestError { get; init; }
    /// <summary>Where MaxTestError came from ("spec", "default for mnist and lenet300-100", or why there is none).</summary>
    [Id(6)] public string MaxTestErrorSource { get; init; } = "";
    /// <summary>Robustness fails when the Wilson lower bound of the collapse and divergence rate exceeds this.</summary>
    [Id(7)] public double MaxFailureRate { get; init; } = 0.05;
    /// <summary>width-robust is judged over starting widths at or above this multiplier.</summary>
    [Id(8)] public double MinWidth { get; init; } = 1;

    public double Alpha => 1 - Confidence;
}
