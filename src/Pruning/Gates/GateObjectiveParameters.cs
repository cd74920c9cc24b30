using Sweep.Options;

namespace Sweep.Pruning.Gates;

/// <summary>What <see cref="GateObjective"/> needs to know of a trial: the prices of a group, the slab, the prior and the prune threshold.</summary>
internal sealed record GateObjectiveParameters
{
    /// <summary>c: the cost of one kept parameter.</summary>
    public double ParameterCost { get; init; }

    /// <summary>c_f: the cost of one thousand multiply-adds per example.</summary>
    public double FlopCost { get; init; }

    /// <summary>Standard deviation of the slab kept weights are drawn from.</summary>
    public double Sigma1 { get; init; } = 0.1;

    /// <summary>A group is pruned once theta is at or below this (0: only when the projection puts it at 0).</summary>
    public double PruneThreshold { get; init; }

    /// <summary>PI of the fixed prior (the ablation); null under the flattening hyper-prior.</summary>
    public double? FixedPriorPi { get; init; }

    /// <summary>Per gated layer multipliers of <see cref="ParameterCost"/>; empty means all 1.</summary>
    public IReadOnlyList<double> CostMultipliers { get; init; } = [];

    /// <summary>Per gated layer multipliers of <see cref="FlopCost"/>; empty means all 1.</summary>
    public IReadOnlyList<double> FlopCostMultipliers { get; init; } = [];

    /// <summary>The parameters a trial's options give.</summary>
    public static GateObjectiveParameters From(TrialOptions options) => new()
    {
        ParameterCost = options.ParameterCost,
        FlopCost = options.FlopCost,
        Sigma1 = options.Sigma1,
        PruneThreshold = options.PruneThreshold,
        FixedPriorPi = options.Prior.FixedPi,
        CostMultipliers = options.CostMultipliers,
        FlopCostMultipliers = options.FlopCostMultipliers,
    };
}
