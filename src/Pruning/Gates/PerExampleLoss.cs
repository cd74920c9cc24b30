using static TorchSharp.torch;

namespace Sweep.Pruning.Gates;

/// <summary>The loss of each row of logits against its label, [M]; softmax cross-entropy in training.</summary>
internal delegate Tensor PerExampleLoss(Tensor logits, Tensor labels);

internal static class Losses
{
    public static readonly PerExampleLoss CrossEntropy =
        (logits, labels) => nn.functional.cross_entropy(logits, labels, reduction: nn.Reduction.None);
}
