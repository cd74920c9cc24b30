namespace Sweep.Grains.Abstractions.Reports;

/// <summary>
/// The robustness statistics of the trials that share every option except the robustness factors
/// (seed, init, width): one group per architecture and prior (and per any other option the
/// sweep varies, such as cost or estimator). The fixed-prior ablation is its own group.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record RobustnessGroup
{
    /// <summary>"arch=lenet300-100 prior=flattening" plus any other varied option.</summary>
    [Id(0)] public required string Label { get; init; }
    [Id(1)] public required string Architecture { get; init; }
    [Id(2)] public required string Prior { get; init; }
    /// <summary>The options every trial of the group shares (all but seed, init, width).</summary>
    [Id(3)] public required IReadOnlyDictionary<string, string> Configuration { get; init; }
    [Id(4)] public int CompletedTrials { get; init; }
    /// <summary>Every failed trial of the group, method failures and excluded ones.</summary>
    [Id(5)] public int FailedTrials { get; init; }
    [Id(6)] public IReadOnlyList<string> Seeds { get; init; } = Array.Empty<string>();
    [Id(7)] public IReadOnlyList<string> Inits { get; init; } = Array.Empty<string>();
    [Id(8)] public IReadOnlyList<string> Widths { get; init; } = Array.Empty<string>();
    [Id(9)] public IReadOnlyList<LayerRobustness> Layers { get; init; } = Array.Empty<LayerRobustness>();
    [Id(10)] public MetricRobustness? Parameters { get; init; }
    [Id(11)] public MetricRobustness? Flops { get; init; }
    [Id(12)] public MetricRobustness? TestError { get; init; }
    /// <summary>Gates strictly between 0 and 1 at the end.</summary>
    [Id(13)] public MetricRobustness? Undecided { get; init; }
    /// <summary>Gates undecided beyond the trainer's tolerance at the end.</summary>
    [Id(14)] public MetricRobustness? UndecidedTolerant { get; init; }
    [Id(15)] public IReadOnlyList<ClaimVerdict> Verdicts { get; init; } = Array.Empty<ClaimVerdict>();
    /// <summary>Failure reasons of the group's failed trials, with counts.</summary>
    [Id(16)] public IReadOnlyDictionary<string, int> FailureReasons { get; init; } = new Dictionary<string, int>();
    /// <summary>Fraction of the starting network's parameters kept.</summary>
    [Id(17)] public MetricRobustness? ParametersKept { get; init; }
    /// <summary>Fraction of the starting network's forward FLOPs kept.</summary>
    [Id(18)] public MetricRobustness? FlopsKept { get; init; }
    /// <summary>Collapses and divergences (outcomes of the method), each and together, with Wilson intervals.</summary>
    [Id(19)] public IReadOnlyList<FailureRate> MethodFailures { get; init; } = Array.Empty<FailureRate>();
    /// <summary>Trials that failed for reasons outside the method (cancelled, lost, error, bad input): listed, excluded from the statistics.</summary>
    [Id(20)] public IReadOnlyDictionary<string, int> ExcludedFailures { get; init; } = new Dictionary<string, int>();
    /// <summary>Per layer and for test error, the variance share of init and starting width against the seed noise.</summary>
    [Id(21)] public IReadOnlyList<FactorEffect> Effects { get; init; } = Array.Empty<FactorEffect>();
    /// <summary>Validation error, when the trials held a validation split.</summary>
    [Id(22)] public MetricRobustness? ValidationError { get; init; }
}
