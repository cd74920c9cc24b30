using Sweep.Options;

namespace Sweep.Pruning.Gates;

/// <summary>The estimators a trial can choose, by the name its options give.</summary>
internal static class GateEstimators
{
    /// <summary>The estimators' names, as options spell them.</summary>
    public static readonly IReadOnlyList<string> Names = TrialOptionSchema.Estimator.Choices;

    /// <summary>
    /// The estimator called <paramref name="name"/>; <paramref name="exactMaxGroups"/>, <paramref name="exactExamples"/> and
    /// <paramref name="exactExamplesEpochs"/> apply to `exact` only (0: all groups, all examples, every epoch).
    /// </summary>
    public static IGateEstimator Create(string name, int exactMaxGroups, int exactExamples = 0, int exactExamplesEpochs = 0) =>
        TrialOptionSchema.Estimator.Parse(name) is (var kind, null)
            ? Create(kind, exactMaxGroups, exactExamples, exactExamplesEpochs)
            : throw new ArgumentException($"Unknown estimator '{name}': expected one of {string.Join(", ", Names)}.", nameof(name));

    /// <summary>The estimator of <paramref name="kind"/>; the exact options as in <see cref="Create(string, int, int, int)"/>.</summary>
    public static IGateEstimator Create(GateEstimatorKind kind, int exactMaxGroups, int exactExamples = 0, int exactExamplesEpochs = 0) => kind switch
    {
        GateEstimatorKind.Exact => new ExactEstimator(exactMaxGroups, exactExamples, exactExamplesEpochs),
        GateEstimatorKind.Multilinear => new MultilinearEstimator(),
        GateEstimatorKind.Reinforce => new ReinforceEstimator(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "no such estimator"),
    };
}
