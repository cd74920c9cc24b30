using Sweep.Options;
using Sweep.Pruning.Models;
using static TorchSharp.torch;

namespace Sweep.Pruning.Gates;

/// <summary>
/// The `multilinear` estimator: D_g estimated by d NLL / d xi_g at the sampled gates, read from the
/// ordinary backward pass (the gates are leaves of the graph). Cheapest, but biased toward interior
/// fixed points (docs/ALGORITHM.md, "The gradient for the gates and its three estimators").
/// </summary>
internal sealed class MultilinearEstimator : IGateEstimator
{
    public string Name => GateEstimatorKind.Multilinear.Name();

    public bool DifferentiatesGates => true;

    /// <summary>Gates drawn as usual, made leaves of the autograd graph so the backward pass reaches them.</summary>
    public Tensor?[] SampleGates(GatedNetwork network, long batch, Generator generator)
    {
        var gates = network.SampleGates(batch, generator);
        foreach (var i in network.GatedIndices)
        {
            gates[i]!.requires_grad_(true);
        }
        return gates;
    }

    public GateEstimate Estimate(GateBatch batch) => new(Estimate(batch.GateGradients), []);

    /// <summary>
    /// D per layer from the gradients of the batch-mean loss with respect to the gates [B, G]: the
    /// batch mean of the per-example derivatives is their sum.
    /// </summary>
    public static Tensor?[] Estimate(IReadOnlyList<Tensor?> gateGradients)
    {
        using var noGrad = no_grad();
        return gateGradients.Select(g => g?.sum(new long[] { 0 })).ToArray();
    }
}
