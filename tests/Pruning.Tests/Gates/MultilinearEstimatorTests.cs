using Sweep.Pruning.Gates;
using Sweep.Pruning.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Sweep.Pruning.Tests.Gates;

public class MultilinearEstimatorTests
{
    // A loss affine in the logits (minus the label's logit) and logits affine in the gates of the
    // only gated layer: the loss is affine in every gate, so the derivative equals the finite difference.
    private static readonly PerExampleLoss AffineLoss = (logits, labels) => -logits.gather(1, Losses.LabelIndex(logits, labels)).squeeze(1);

    [Fact]
    public void Multilinear_equals_exact_when_the_loss_is_affine_in_the_gates()
    {
        using var scope = NewDisposeScope();
        using var network = GatedNetwork.Create(
            [new LayerSpec("fc1", LayerKind.FullyConnected, 6), new LayerSpec("out", LayerKind.FullyConnected, 3)],
            inputChannels: 4, inputSize: 1, "kaiming-normal", new Generator(1), theta0: 1.0);
        TinyNetworks.RandomThetas(network, seed: 2);
        var (exact, multilinear) = BothEstimates(network, AffineLoss, batch: 32, inputFeatures: 4, classes: 3);
        var e = exact[0]!.data<float>().ToArray();
        var m = multilinear[0]!.data<float>().ToArray();
        Assert.Contains(e, v => Math.Abs(v) > 1e-3);
        for (var g = 0; g < e.Length; g++)
        {
            Assert.Equal(e[g], m[g], 5);
        }
    }

    [Fact]
    public void Multilinear_differs_from_exact_under_cross_entropy()
    {
        using var scope = NewDisposeScope();
        using var network = TinyNetworks.FullyConnected(seed: 3);
        TinyNetworks.RandomThetas(network, seed: 4);
        var (exact, multilinear) = BothEstimates(network, Losses.CrossEntropy, batch: 32, inputFeatures: 5, classes: 2);
        var difference = network.GatedIndices.Max(i => (exact[i]! - multilinear[i]!).abs().max().item<float>());
        Assert.True(difference > 1e-4, $"largest difference {difference}");
    }

    private static (Tensor?[] Exact, Tensor?[] Multilinear) BothEstimates(GatedNetwork network, PerExampleLoss loss, int batch, int inputFeatures, int classes)
    {
        var generator = new Generator(5);
        var inputs = randn(new long[] { batch, inputFeatures }, generator: generator);
        var labels = randint(classes, new long[] { batch }, generator: generator);
        var gates = network.SampleGates(batch, generator);
        foreach (var i in network.GatedIndices)
        {
            gates[i]!.requires_grad_(true);
        }
        var logits = network.Forward(inputs, gates, out var record);
        var perExample = loss(logits, labels);
        var gated = network.GatedIndices.ToArray();
        var gradients = autograd.grad([perExample.mean()], gated.Select(i => gates[i]!).ToList());
        var byLayer = new Tensor?[network.Layers.Count];
        for (var k = 0; k < gated.Length; k++)
        {
            byLayer[gated[k]] = gradients[k];
        }
        var multilinear = MultilinearEstimator.Estimate(byLayer);
        var plainGates = gates.Select(g => g?.detach()).ToArray();
        var exact = ExactEstimator.Estimate(network, record, plainGates, labels, perExample.detach(), loss, 0, generator, out _);
        return (exact, multilinear);
    }
}
