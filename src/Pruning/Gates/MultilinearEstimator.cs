using static TorchSharp.torch;

namespace Sweep.Pruning.Gates;

/// <summary>
/// The `multilinear` estimator: D_g estimated by d NLL / d xi_g at the sampled gates, read from the
/// ordinary backward pass (the gates are leaves of the graph). Cheapest, but biased toward interior
/// fixed points (docs/ALGORITHM.md, "The gradient for the gates and its three estimators").
/// </summary>
internal static class MultilinearEstimator
{
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
