using static TorchSharp.torch;

namespace Sweep.Pruning.Gates;

/// <summary>
/// The loss of each example against its label: logits [M, C] and labels [M] give [M]; logits
/// [M, C, G] (classes on axis 1, G variants of each example) and labels [M] give [M, G].
/// </summary>
internal delegate Tensor PerExampleLoss(Tensor logits, Tensor labels);

internal static class Losses
{
    /// <summary>Softmax cross-entropy, logsumexp over the classes minus the label's logit (differentiable).</summary>
    public static readonly PerExampleLoss CrossEntropy = (logits, labels) =>
        logits.logsumexp(1) - logits.gather(1, LabelIndex(logits, labels)).squeeze(1);

    /// <summary>The labels shaped to gather along the class axis of <paramref name="logits"/>.</summary>
    public static Tensor LabelIndex(Tensor logits, Tensor labels)
    {
        if (logits.dim() == 2)
        {
            return labels.unsqueeze(1);
        }
        var shape = logits.shape.ToArray();
        shape[1] = 1;
        var view = new long[shape.Length];
        Array.Fill(view, 1L);
        view[0] = labels.shape[0];
        return labels.view(view).expand(shape);
    }
}
