using Sweep.Pruning.Models;
using static TorchSharp.torch;

namespace Sweep.Pruning.Gates;

/// <summary>
/// One way of estimating D_g, the data part of dF/dtheta (docs/ALGORITHM.md, "The gradient for the gates and
/// its three estimators"). A trial chooses its estimator once (<see cref="GateEstimators.Create"/>); each
/// training step asks it for the batch's gates and, after the forward and backward passes, for the estimate.
/// </summary>
internal interface IGateEstimator
{
    /// <summary>The name a trial option gives it: "exact", "multilinear" or "reinforce".</summary>
    string Name { get; }

    /// <summary>True when the backward pass must differentiate the loss with respect to the gates (<see cref="GateBatch.GateGradients"/>).</summary>
    bool DifferentiatesGates { get; }

    /// <summary>The gates of a batch of <paramref name="batch"/> examples, one row per example, drawn from <paramref name="generator"/>.</summary>
    Tensor?[] SampleGates(GatedNetwork network, long batch, Generator generator);

    /// <summary>D per layer (null for ungated layers) for the batch, with the groups it evaluated.</summary>
    GateEstimate Estimate(GateBatch batch);

    /// <summary>Told before each epoch's first step (1-based), for an estimator whose work follows a schedule.</summary>
    void BeginEpoch(int epoch)
    {
    }
}
