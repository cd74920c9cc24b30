using TorchSharp;
using static TorchSharp.torch;

namespace Sweep.Pruning.Models;

public enum LayerKind
{
    FullyConnected,
    Convolution,

    /// <summary>The input features, gated one per pixel (docs/ALGORITHM.md, "Gates, groups and what they own"): no parameters, identity activation.</summary>
    Input,
}
