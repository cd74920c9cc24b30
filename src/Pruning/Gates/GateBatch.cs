using Sweep.Pruning.Models;
using static TorchSharp.torch;

namespace Sweep.Pruning.Gates;

/// <summary>
/// What an <see cref="IGateEstimator"/> may use of one training step: the network, the batch as the network saw
/// it (<paramref name="Input"/> shaped for it), the sampled gates, the forward record, the per-example loss
/// (detached), the loss's gradients with respect to the gates (only for an estimator that differentiates them;
/// null per ungated layer) and the step's generator.
/// </summary>
internal sealed record GateBatch(
    GatedNetwork Network,
    Tensor Input,
    Tensor Labels,
    IReadOnlyList<Tensor?> Gates,
    ForwardRecord Record,
    Tensor Loss,
    IReadOnlyList<Tensor?> GateGradients,
    Generator Generator);
