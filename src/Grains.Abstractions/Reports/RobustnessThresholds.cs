namespace Sweep.Grains.Abstractions.Reports;

/// <summary>The thresholds the verdicts use; reported with every report so a verdict can be judged.</summary>
[GenerateSerializer, Immutable]
public sealed record RobustnessThresholds
{
    /// <summary>deterministic: every completed trial ends with at most this many gates undecided (tolerant count).</summary>
    [Id(0)] public int MaxUndecidedGates { get; init; }
    /// <summary>init-robust / width-robust: largest allowed relative spread of a layer's mean final width across the factor's levels.</summary>
    [Id(1)] public double MaxRelativeWidthSpread { get; init; } = 0.10;
    /// <summary>init-robust / width-robust: largest allowed spread (max - min) of mean test error across the factor's levels.</summary>
    [Id(2)] public double MaxTestErrorSpread { get; init; } = 0.005;
    /// <summary>accurate: largest mean test error per architecture (the published results listed in docs/ALGORITHM.md).</summary>
    [Id(3)] public IReadOnlyDictionary<string, double> MaxTestErrorByArchitecture { get; init; } =
        new Dictionary<string, double>(StringComparer.Ordinal) { ["lenet300-100"] = 0.018, ["lenet5-caffe"] = 0.010 };
    /// <summary>accurate: for architectures not listed above.</summary>
    [Id(4)] public double DefaultMaxTestError { get; init; } = 0.02;

    public double MaxTestErrorFor(string architecture) =>
        MaxTestErrorByArchitecture.TryGetValue(architecture, out var value) ? value : DefaultMaxTestError;
}
