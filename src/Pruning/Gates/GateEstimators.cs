using Sweep.Options;

namespace Sweep.Pruning.Gates;

/// <summary>The estimators a trial can choose, by the name its options give.</summary>
internal static class GateEstimators
{
    /// <summary>The estimators' names, as options spell them.</summary>
    public static readonly IReadOnlyList<string> Names = TrialOptionSchema.Estimator.Choices;

    /// <summary>The estimator called <paramref name="name"/>; <paramref name="exactMaxGroups"/> applies to `exact` only (0: all groups).</summary>
    public static IGateEstimator Create(string name, int exactMaxGroups) =>
        TrialOptionSchema.Estimator.Parse(name) is (var kind, null)
            ? Create(kind, exactMaxGroups)
            : throw new ArgumentException($"Unknown estimator '{name}': expected one of {string.Join(", ", Names)}.", nameof(name));

    /// <summary>The estimator of <paramref name="kind"/>; <paramref name="exactMaxGroups"/> applies to `exact` only (0: all groups).</summary>
    public static IGateEstimator Create(GateEstimatorKind kind, int exactMaxGroups) => kind switch
    {
        GateEstimatorKind.Exact => new ExactEstimator(exactMaxGroups),
        GateEstimatorKind.Multilinear => new MultilinearEstimator(),
        GateEstimatorKind.Reinforce => new ReinforceEstimator(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "no such estimator"),
    };
}
