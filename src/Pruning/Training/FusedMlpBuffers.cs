using Sweep.Pruning.Gates;
using static TorchSharp.torch;

namespace Sweep.Pruning.Training;

/// <summary>
/// Every intermediate of <see cref="FusedMlpStep"/> for one set of widths, allocated once: tensors where libtorch's
/// matrix products read or write them, plain arrays (in the flip kernels' padded layouts) where only Sweep's
/// kernels do. Replaced only when the batch size or a width changes (after a compaction).
/// </summary>
internal sealed class FusedMlpBuffers : IDisposable
{
    private readonly List<Tensor> _owned = [];

    public FusedMlpBuffers(int batch, int features, int hidden1, int hidden2, int classes)
    {
        (Batch, Features, Hidden1, Hidden2, Classes) = (batch, features, hidden1, hidden2, classes);
        Random1 = New(batch, hidden1);
        Random2 = New(batch, hidden2);
        Gates1 = New(batch, hidden1);
        Gates2 = New(batch, hidden2);
        Linear1 = New(batch, hidden1);
        Linear2 = New(batch, hidden2);
        Output1 = New(batch, hidden1);
        Output2 = New(batch, hidden2);
        Logits = New(batch, classes);
        LogitsGradient = New(batch, classes);
        Output2Gradient = New(batch, hidden2);
        Linear2Gradient = New(batch, hidden2);
        Output1Gradient = New(batch, hidden1);
        Linear1Gradient = New(batch, hidden1);
        using (no_grad())
        {
            LogitsGradientT = Own(LogitsGradient.t());
            Linear2GradientT = Own(Linear2Gradient.t());
            Linear1GradientT = Own(Linear1Gradient.t());
        }
        Gradients = [New(hidden1, features), New(hidden1), New(hidden2, hidden1), New(hidden2), New(classes, hidden2), New(classes)];
        Estimate1 = New(hidden1);
        Estimate2 = New(hidden2);
        LossSum = Own(zeros(1, dtype: float64));
        Activation1 = new float[batch * hidden1];
        Activation2 = new float[batch * hidden2];
        Loss = new float[batch];
        Labels = new int[batch];
        Signed1 = new float[batch * hidden1];
        Weight2Transposed = new float[hidden1 * FlipLossSpans.PaddedHidden(hidden2)];
        FlipWork = new float[FlipLossSpans.WorkSize(hidden2, classes)];
        PendingGroups = new int[FlipLossSpans.PendingSize];
        Flipped1 = new float[batch * hidden1];
        Signed2 = new float[batch * FlipLossSpans.PaddedOutputGroups(hidden2)];
        Weight3Padded = new float[classes * FlipLossSpans.PaddedOutputGroups(hidden2)];
        OutputTile = new float[FlipLossSpans.OutputTileSize(classes)];
        Flipped2 = new float[batch * hidden2];
    }

    public int Batch { get; }
    public int Features { get; }
    public int Hidden1 { get; }
    public int Hidden2 { get; }
    public int Classes { get; }

    public Tensor Random1 { get; }
    public Tensor Random2 { get; }
    public Tensor Gates1 { get; }
    public Tensor Gates2 { get; }

    /// <summary>Affine outputs (bias included) of the two hidden layers: the forward record of the exact estimator.</summary>
    public Tensor Linear1 { get; }
    public Tensor Linear2 { get; }

    /// <summary>Gated activations, the next layer's inputs.</summary>
    public Tensor Output1 { get; }
    public Tensor Output2 { get; }
    public Tensor Logits { get; }
    public Tensor LogitsGradient { get; }
    public Tensor LogitsGradientT { get; }
    public Tensor Output2Gradient { get; }
    public Tensor Linear2Gradient { get; }
    public Tensor Linear2GradientT { get; }
    public Tensor Output1Gradient { get; }
    public Tensor Linear1Gradient { get; }
    public Tensor Linear1GradientT { get; }

    /// <summary>Gradients of the mean loss: weight, bias per layer.</summary>
    public IReadOnlyList<Tensor> Gradients { get; }
    public Tensor Estimate1 { get; }
    public Tensor Estimate2 { get; }
    public Tensor LossSum { get; }

    /// <summary>ReLU outputs before gating.</summary>
    public float[] Activation1 { get; }
    public float[] Activation2 { get; }
    public float[] Loss { get; }
    public int[] Labels { get; }
    public float[] Signed1 { get; }
    public float[] Weight2Transposed { get; }
    public float[] FlipWork { get; }
    public int[] PendingGroups { get; }
    public float[] Flipped1 { get; }
    public float[] Signed2 { get; }
    public float[] Weight3Padded { get; }
    public float[] OutputTile { get; }
    public float[] Flipped2 { get; }

    public bool Fits(int batch, int features, int hidden1, int hidden2, int classes) =>
        (batch, features, hidden1, hidden2, classes) == (Batch, Features, Hidden1, Hidden2, Classes);

    private Tensor New(params long[] shape) => Own(zeros(shape, dtype: float32));

    private Tensor Own(Tensor tensor)
    {
        tensor.DetachFromDisposeScope();
        _owned.Add(tensor);
        return tensor;
    }

    public void Dispose()
    {
        foreach (var tensor in _owned)
        {
            tensor.Dispose();
        }
    }
}
