using Sweep.Pruning.Gates;
using Sweep.Options;

namespace Sweep.Pruning.Training;

/// <summary>The parts of a trial's options that the algorithm's pieces take as their own parameters.</summary>
internal static class TrainingOptionsExtensions
{
    public static GateObjectiveParameters ToGateObjectiveParameters(this TrialOptions options) => new()
    {
        ParameterCost = options.ParameterCost,
        FlopCost = options.FlopCost,
        Sigma1 = options.Sigma1,
        PruneThreshold = options.PruneThreshold,
        FixedPriorPi = options.Prior.FixedPi,
        CostMultipliers = options.CostMultipliers,
        FlopCostMultipliers = options.FlopCostMultipliers,
    };

    /// <summary>The trial's gate estimator, chosen once.</summary>
    public static IGateEstimator CreateGateEstimator(this TrialOptions options) =>
        GateEstimators.Create(options.Estimator, options.ExactMaxGroups);
}
