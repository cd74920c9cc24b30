namespace Sweep.Options;

/// <summary>The option names of the typed choices, as specs, settings and messages spell them.</summary>
public static class OptionNames
{
    public static string Name(this NetworkArchitecture architecture) => TrialOptionSchema.Architecture.Format(architecture);

    public static string Name(this WeightInit init) => TrialOptionSchema.Init.Format(init);

    public static string Name(this GateEstimatorKind estimator) => TrialOptionSchema.Estimator.Format(estimator);

    public static string Name(this WeightOptimizerKind optimizer) => TrialOptionSchema.Optimizer.Format(optimizer);
}
