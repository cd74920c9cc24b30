using static TorchSharp.torch;

namespace Sweep.Pruning.Models;

/// <summary>One physical slice applied to a parameter by compaction, for the optimizer to apply to its state.</summary>
internal sealed record SliceOperation(int ParameterIndex, int Dimension, Tensor Index);
