using static TorchSharp.torch;

namespace Sweep.Pruning.Gates;

/// <summary>
/// D per layer (null for ungated layers) and, when only some groups were evaluated, a 0/1 mask per layer of the
/// groups whose theta may change this step (empty: all of them).
/// </summary>
internal sealed record GateEstimate(Tensor?[] DataGradients, Tensor?[] UpdateMasks);
