namespace Sweep.Options;

/// <summary>The optimizer of the weights (option `optimizer`): Adam, or SGD with momentum 0.9.</summary>
public enum WeightOptimizerKind
{
    Adam,
    Sgd,
}
