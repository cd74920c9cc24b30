using Sweep.Pruning.Gates;
using Sweep.Pruning.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Sweep.Pruning.Tests.Gates;

public class FlipLossKernelTests
{
    [Theory]
    [InlineData(7, 37, 19, 10)]
    [InlineData(3, 8, 5, 3)]
    [InlineData(4, 1, 2, 2)]
    [InlineData(5, 20, 13, 12)]
    public void Kernel_matches_float64_flipped_losses_computed_with_tensors(int batch, int groups, int hidden, int classes)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(42);
        // About a third of the flips are 0, as where a unit's ReLU is off: the kernel skips those groups.
        var signed = randn(new long[] { batch, groups }, generator: generator) * rand(new long[] { batch, groups }, generator: generator).gt(0.35);
        var weight = randn(new long[] { hidden, groups }, generator: generator) * 0.5;
        var linear = randn(new long[] { batch, hidden }, generator: generator);
        var gates = rand(new long[] { batch, hidden }, generator: generator).lt(0.7).to_type(float32);
        var outWeight = randn(new long[] { classes, hidden }, generator: generator);
        var outBias = randn(classes, generator: generator);
        var labels = randint(classes, new long[] { batch }, generator: generator);

        var actual = FlipLossKernel.FlippedLoss(signed, linear, weight, gates, outWeight, outBias, labels).data<float>().ToArray();

        // Reference in float64: [B, K, G] flipped hidden values, gated, through the output layer.
        var d = float64;
        var hiddenFlipped = (linear.to_type(d).unsqueeze(2) + weight.to_type(d).unsqueeze(0) * signed.to_type(d).unsqueeze(1)).relu() * gates.to_type(d).unsqueeze(2);
        var logits = matmul(outWeight.to_type(d).unsqueeze(0), hiddenFlipped) + outBias.to_type(d).view(1, -1, 1);   // [B, C, G]
        var expected = Losses.CrossEntropy(logits, labels).data<double>().ToArray();

        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) < 1e-4 * Math.Max(1, Math.Abs(expected[i])), $"entry {i}: float64 {expected[i]}, kernel {actual[i]}");
        }
    }

    [Fact]
    public void Exact_estimator_gives_the_same_estimate_with_and_without_the_kernels_for_every_layer()
    {
        Assert.True(FlipLossKernel.IsAvailable, "this machine has no 256-bit vectors: the kernel path is not exercised");
        using var scope = NewDisposeScope();
        using var network = GatedNetwork.Create(
            [
                new LayerSpec("fc1", LayerKind.FullyConnected, 30),
                new LayerSpec("fc2", LayerKind.FullyConnected, 12),
                new LayerSpec("out", LayerKind.FullyConnected, 10),
            ],
            inputChannels: 20, inputSize: 1, "kaiming-uniform", new Generator(5), theta0: 1.0);
        TinyNetworks.RandomThetas(network, seed: 6);
        var inputs = randn(new long[] { 16, 20 }, generator: new Generator(7));
        var labels = randint(10, new long[] { 16 }, generator: new Generator(8));
        var gates = network.SampleGates(16, new Generator(9));
        var logits = network.Forward(inputs, gates, out var record);
        var loss = Losses.CrossEntropy(logits, labels).detach();

        foreach (var layer in network.GatedIndices)
        {
            var withKernel = ExactEstimator.PerExample(network, layer, record, gates, labels, loss, Losses.CrossEntropy, null).data<float>().ToArray();
            var withTensors = ExactEstimator.PerExample(network, layer, record, gates, labels, loss, Losses.CrossEntropy, null, allowKernel: false).data<float>().ToArray();
            Assert.Equal(withTensors.Length, withKernel.Length);
            Assert.Contains(withTensors, v => Math.Abs(v) > 1e-3);
            for (var i = 0; i < withTensors.Length; i++)
            {
                Assert.True(Math.Abs(withTensors[i] - withKernel[i]) < 1e-5, $"layer {layer} entry {i}: tensors {withTensors[i]}, kernel {withKernel[i]}");
            }
        }
    }

    [Fact]
    public void Kernel_rejects_a_label_outside_the_classes()
    {
        using var scope = NewDisposeScope();
        var error = Assert.Throws<ArgumentException>(() => FlipLossKernel.FlippedLoss(
            ones(2, 3), zeros(2, 4), ones(4, 3), ones(2, 4), ones(5, 4), zeros(5), tensor(new long[] { 1, 5 })));
        Assert.Contains("Label 5 of example 1", error.Message);
        Assert.Throws<ArgumentException>(() => FlipLossKernel.FlippedLossAtOutput(ones(2, 3), zeros(2, 5), ones(5, 3), tensor(new long[] { -1, 0 })));
    }
}
