using static TorchSharp.torch;

namespace Sweep.Pruning.Models;

/// <summary>Activations a training forward pass keeps for the gate estimators (detached).</summary>
internal sealed record ForwardRecord(Tensor Logits, Tensor[] Linear, Tensor[] Activations);
