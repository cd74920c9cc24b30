namespace Sweep.Options;

/// <summary>The gradient estimator of the gate parameters (option `estimator`; docs/ALGORITHM.md).</summary>
public enum GateEstimatorKind
{
    Exact,
    Multilinear,
    Reinforce,
}
