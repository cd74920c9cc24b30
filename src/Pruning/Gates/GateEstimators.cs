namespace Sweep.Pruning.Gates;

/// <summary>The estimators a trial can choose, by the name its options give.</summary>
internal static class GateEstimators
{
    public const string Exact = "exact";
    public const string Multilinear = "multilinear";
    public const string Reinforce = "reinforce";

    public static readonly IReadOnlyList<string> Names = [Exact, Multilinear, Reinforce];

    /// <summary>The estimator called <paramref name="name"/>; <paramref name="exactMaxGroups"/> applies to `exact` only (0: all groups).</summary>
    public static IGateEstimator Create(string name, int exactMaxGroups) => name switch
    {
        Exact => new ExactEstimator(exactMaxGroups),
        Multilinear => new MultilinearEstimator(),
        Reinforce => new ReinforceEstimator(),
        _ => throw new ArgumentException($"Unknown estimator '{name}': expected one of {string.Join(", ", Names)}.", nameof(name)),
    };
}
