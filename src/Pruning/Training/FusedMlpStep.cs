using Sweep.Pruning.Engine;
using Sweep.Pruning.Gates;
using Sweep.Pruning.Models;
using static TorchSharp.torch;
using K = Sweep.Pruning.Training.FusedMlpKernels;

namespace Sweep.Pruning.Training;

/// <summary>
/// The gated training step of a fully connected network with two gated hidden layers (LeNet-300-100) under the
/// `exact` estimator, without autograd: the forward pass, the explicit backward pass of
/// h1 = xi1 relu(x W1' + b1), h2 = xi2 relu(h1 W2' + b2), logits = h2 W3' + b3 and the mean cross-entropy, and
/// every single-gate flip from the same forward record. The six matrix products per step run in libtorch
/// (addmm_ into preallocated tensors); everything else runs on those tensors' memory (FusedMlpKernels,
/// FlipLossSpans). It computes what the autograd path computes, from the same gate draws; it exists because at
/// batch 100 that path's 60-odd small tensor operations cost more than the arithmetic once a network is pruned.
/// </summary>
/// <param name="estimator">The trial's `exact` estimator (null: its defaults), for the examples whose flips it computes.</param>
internal sealed class FusedMlpStep(ExactEstimator? estimator = null) : IDisposable
{
    private FusedMlpBuffers? _buffers;
    private readonly Tensor?[] _weights = new Tensor?[3];
    private readonly Tensor?[] _transposed = new Tensor?[3];

    /// <summary>Whether this step computes <paramref name="network"/>'s training step under <paramref name="estimator"/>.</summary>
    public static bool Applies(GatedNetwork network, IGateEstimator estimator) =>
        FlipLossKernel.IsAvailable
        && estimator is ExactEstimator { MaxGroups: 0 }
        && network.Layers.Count == 3
        && network.Layers.All(l => l.Kind == LayerKind.FullyConnected && l.InputBlock == 1)
        && network.Layers[0].Gated && network.Layers[1].Gated && !network.Layers[2].Gated
        && network.Parameters.All(p => TensorMemory.IsDirect(p));

    /// <summary>The gates the last step drew, per layer (null for the output layer), as GatedNetwork.SampleGates lays them out.</summary>
    internal Tensor?[] LastGates => _buffers is { } b ? [b.Gates1, b.Gates2, null] : [];

    /// <summary>
    /// One step's gradients, gate estimate and summed loss for the batch <paramref name="input"/> [B, features], <paramref name="labels"/> [B],
    /// drawing the gates from <paramref name="generator"/> exactly as the estimator's SampleGates does. The returned tensors are
    /// this object's buffers: valid until the next call.
    /// </summary>
    public StepGradients Compute(GatedNetwork network, Tensor input, Tensor labels, Generator generator)
    {
        using var noGrad = no_grad();
        var (l1, l2, l3) = (network.Layers[0], network.Layers[1], network.Layers[2]);
        var batch = (int)labels.shape[0];
        var b = Buffers(batch, (int)input.shape[1], l1.Width, l2.Width, l3.Width);
        var (w1t, w2t, w3t) = (Transposed(0, l1.Weight), Transposed(1, l2.Weight), Transposed(2, l3.Weight));
        var x = TensorMemory.IsDirect(input) ? input : input.to_type(ScalarType.Float32).contiguous();
        FillLabels(labels, b);

        // Gates: the same uniform draws, layer by layer, as GatedNetwork.SampleGates.
        b.Random1.uniform_(0, 1, generator);
        K.SampleGates(F(b.Random1), F(l1.Theta!), F(b.Gates1));
        b.Random2.uniform_(0, 1, generator);
        K.SampleGates(F(b.Random2), F(l2.Theta!), F(b.Gates2));

        // Forward, keeping the record the estimator needs (affine outputs and activations).
        K.FillRows(F(l1.Bias), F(b.Linear1));
        b.Linear1.addmm_(x, w1t);
        K.ReluGate(F(b.Linear1), F(b.Gates1), b.Activation1, F(b.Output1));
        K.FillRows(F(l2.Bias), F(b.Linear2));
        b.Linear2.addmm_(b.Output1, w2t);
        K.ReluGate(F(b.Linear2), F(b.Gates2), b.Activation2, F(b.Output2));
        K.FillRows(F(l3.Bias), F(b.Logits));
        b.Logits.addmm_(b.Output2, w3t);
        var lossSum = K.CrossEntropy(F(b.Logits), b.Labels, b.Loss, F(b.LogitsGradient));

        // Backward: weight gradients as products of the transposed output gradients with the layer inputs.
        var g = b.Gradients;
        g[4].addmm_(b.LogitsGradientT, b.Output2, beta: 0);
        K.ColumnSums(F(b.LogitsGradient), F(g[5]));
        b.Output2Gradient.addmm_(b.LogitsGradient, l3.Weight, beta: 0);
        K.GateReluBackward(F(b.Output2Gradient), F(b.Gates2), b.Activation2, F(b.Linear2Gradient));
        g[2].addmm_(b.Linear2GradientT, b.Output1, beta: 0);
        K.ColumnSums(F(b.Linear2Gradient), F(g[3]));
        b.Output1Gradient.addmm_(b.Linear2Gradient, l2.Weight, beta: 0);
        K.GateReluBackward(F(b.Output1Gradient), F(b.Gates1), b.Activation1, F(b.Linear1Gradient));
        g[0].addmm_(b.Linear1GradientT, x, beta: 0);
        K.ColumnSums(F(b.Linear1Gradient), F(g[1]));

        // The exact estimator from the same record, on the batch's first `rows` examples (rows are laid out example-major):
        // layer 1's flips pass through layer 2 into the logits, layer 2's go straight in.
        var rows = estimator?.EvaluatedExamples(batch) ?? batch;
        var losses = b.Loss.AsSpan(0, rows);
        K.SignedFlips(b.Activation1.AsSpan(0, rows * b.Hidden1), F(b.Gates1), b.Hidden1, b.Hidden1, b.Signed1);
        FlipLossSpans.TransposeWeights(F(l2.Weight), b.Hidden2, b.Hidden1, b.Weight2Transposed);
        FlipLossSpans.FlippedLoss(b.Signed1, b.Weight2Transposed, F(b.Linear2), F(b.Gates2), F(l3.Weight), F(l3.Bias), b.Labels,
            rows, b.Hidden1, b.Hidden2, b.Classes, b.FlipWork, b.PendingGroups, b.Flipped1);
        K.FlipDifferences(F(b.Gates1), losses, b.Flipped1, F(b.Estimate1));
        var padded2 = FlipLossSpans.PaddedOutputGroups(b.Hidden2);
        K.SignedFlips(b.Activation2.AsSpan(0, rows * b.Hidden2), F(b.Gates2), b.Hidden2, padded2, b.Signed2);
        K.CopyPadded(F(l3.Weight), b.Hidden2, padded2, b.Weight3Padded);
        FlipLossSpans.FlippedLossAtOutput(b.Signed2, b.Weight3Padded, F(b.Logits), b.Labels, rows, b.Hidden2, b.Classes, b.OutputTile, b.Flipped2);
        K.FlipDifferences(F(b.Gates2), losses, b.Flipped2, F(b.Estimate2));

        TensorMemory.Elements<double>(b.LossSum, ScalarType.Float64)[0] = lossSum;
        return new StepGradients(g, new GateEstimate([b.Estimate1, b.Estimate2, null], new Tensor?[3]), b.LossSum);
    }

    private static Span<float> F(Tensor tensor) => TensorMemory.Floats(tensor);

    private FusedMlpBuffers Buffers(int batch, int features, int hidden1, int hidden2, int classes)
    {
        if (_buffers is null || !_buffers.Fits(batch, features, hidden1, hidden2, classes))
        {
            _buffers?.Dispose();
            _buffers = new FusedMlpBuffers(batch, features, hidden1, hidden2, classes);
        }
        return _buffers;
    }

    // A transposed view of layer i's weight, made again only when compaction (or a restore) replaced the weight.
    private Tensor Transposed(int i, Tensor weight)
    {
        if (!ReferenceEquals(_weights[i], weight))
        {
            _transposed[i]?.Dispose();
            _transposed[i] = weight.t().DetachFromDisposeScope();
            _weights[i] = weight;
        }
        return _transposed[i]!;
    }

    private static void FillLabels(Tensor labels, FusedMlpBuffers buffers)
    {
        if (!TensorMemory.IsDirect(labels, ScalarType.Int64))
        {
            FlipLossKernel.CheckedLabels(labels, buffers.Classes).CopyTo(buffers.Labels, 0);
            return;
        }
        var values = TensorMemory.Elements<long>(labels, ScalarType.Int64);
        for (var i = 0; i < values.Length; i++)
        {
            var y = values[i];
            if (y < 0 || y >= buffers.Classes)
            {
                throw new ArgumentException($"Label {y} of example {i} is outside 0..{buffers.Classes - 1}.", nameof(labels));
            }
            buffers.Labels[i] = (int)y;
        }
    }

    public void Dispose()
    {
        _buffers?.Dispose();
        foreach (var t in _transposed)
        {
            t?.Dispose();
        }
    }
}
