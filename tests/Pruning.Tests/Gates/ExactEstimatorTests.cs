using Sweep.Pruning.Gates;
using Sweep.Pruning.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Sweep.Pruning.Tests.Gates;

public class ExactEstimatorTests
{
    [Fact]
    public void Exact_estimator_equals_enumeration_of_all_gate_configurations_fully_connected()
    {
        using var scope = NewDisposeScope();
        using var network = TinyNetworks.FullyConnected(seed: 1);
        TinyNetworks.RandomThetas(network, seed: 2);
        var inputs = rand(new long[] { 3, 5 }, generator: new Generator(3)) * 2 - 0.5;
        var labels = tensor(new long[] { 0, 1, 1 });
        AssertExactEqualsEnumeration(network, inputs, labels);
    }

    [Fact]
    public void Exact_estimator_equals_enumeration_of_all_gate_configurations_convolutional()
    {
        using var scope = NewDisposeScope();
        using var network = TinyNetworks.Convolutional(seed: 4);
        TinyNetworks.RandomThetas(network, seed: 5);
        var inputs = rand(new long[] { 2, 64 }, generator: new Generator(6));
        var labels = tensor(new long[] { 1, 0 });
        AssertExactEqualsEnumeration(network, inputs, labels);
    }

    [Fact]
    public void Exact_estimator_equals_enumeration_of_all_gate_configurations_with_input_gates()
    {
        using var scope = NewDisposeScope();
        using var network = TinyInputGatedNetworks.Create(seed: 13);
        TinyNetworks.RandomThetas(network, seed: 14);
        var inputs = rand(new long[] { 3, 3 }, generator: new Generator(15)) * 2;
        var labels = tensor(new long[] { 1, 0, 1 });
        AssertExactEqualsEnumeration(network, inputs, labels);
    }

    [Fact]
    public void Exact_estimator_over_a_group_subset_evaluates_only_that_subset()
    {
        using var scope = NewDisposeScope();
        using var network = TinyNetworks.FullyConnected(seed: 7);
        TinyNetworks.RandomThetas(network, seed: 8);
        var inputs = rand(new long[] { 16, 5 }, generator: new Generator(9));
        var labels = randint(2, new long[] { 16 }, generator: new Generator(10));
        var gates = network.SampleGates(16, new Generator(11));
        var logits = network.Forward(inputs, gates, out var record);
        var loss = Losses.CrossEntropy(logits, labels);
        var full = ExactEstimator.Estimate(network, record, gates, labels, loss, Losses.CrossEntropy, 0, new Generator(12), out _);
        var partial = ExactEstimator.Estimate(network, record, gates, labels, loss, Losses.CrossEntropy, 2, new Generator(12), out var masks);
        foreach (var i in network.GatedIndices)
        {
            var mask = masks[i]!;
            Assert.Equal(2, (int)mask.sum().item<float>());
            var expected = (full[i]! * mask).data<float>().ToArray();
            var actual = partial[i]!.data<float>().ToArray();
            for (var g = 0; g < expected.Length; g++)
            {
                Assert.Equal(expected[g], actual[g], 5);
            }
        }
    }

    // The expectation over gate configurations of the estimator's per-example flips, against the
    // derivative of the expected loss computed by brute force: E[L | xi_g = 1] - E[L | xi_g = 0].
    private static void AssertExactEqualsEnumeration(GatedNetwork network, Tensor inputs, Tensor labels)
    {
        var (configurations, probability) = TinyNetworks.AllConfigurations(network);
        var count = probability.Length;
        var batch = (int)labels.shape[0];
        var gated = network.GatedIndices.ToArray();
        var widths = gated.Select(i => network.Layers[i].Width).ToArray();
        var totalGates = widths.Sum();
        Assert.InRange(totalGates, 1, 8);

        // Brute force: the loss of every example under every configuration.
        var bruteLoss = new double[batch, count];
        for (var b = 0; b < batch; b++)
        {
            var x = network.ShapeInput(inputs.narrow(0, b, 1).expand(count, -1).contiguous());
            var y = labels.narrow(0, b, 1).expand(count).contiguous();
            var losses = Losses.CrossEntropy(network.Forward(x, configurations), y).to_type(float64).data<double>().ToArray();
            for (var c = 0; c < count; c++)
            {
                bruteLoss[b, c] = losses[c];
            }
        }

        // The estimator on every (example, configuration) row at once.
        var rowsInput = network.ShapeInput(inputs.repeat_interleave(count, dim: 0));
        var rowsLabels = labels.repeat_interleave(count, dim: 0);
        var rowsGates = configurations.Select(g => g?.repeat(batch, 1)).ToArray();
        var logits = network.Forward(rowsInput, rowsGates, out var record);
        var rowsLoss = Losses.CrossEntropy(logits, rowsLabels).detach();

        var offset = 0;
        for (var k = 0; k < gated.Length; k++)
        {
            var nonZero = 0;
            var perRow = ExactEstimator.PerExample(network, gated[k], record, rowsGates, rowsLabels, rowsLoss, Losses.CrossEntropy, null)
                .to_type(float64).data<double>().ToArray();
            for (var g = 0; g < widths[k]; g++)
            {
                var bit = offset + g;
                double truth = 0, estimated = 0;
                for (var b = 0; b < batch; b++)
                {
                    for (var c = 0; c < count; c++)
                    {
                        var on = c | (1 << bit);
                        var off = c & ~(1 << bit);
                        truth += probability[c] * (bruteLoss[b, on] - bruteLoss[b, off]) / batch;
                        estimated += probability[c] * perRow[(b * count + c) * widths[k] + g] / batch;
                    }
                }
                nonZero += Math.Abs(truth) > 1e-4 ? 1 : 0;
                Assert.True(Math.Abs(truth - estimated) < 1e-5, $"layer {network.Layers[gated[k]].Name} gate {g}: enumeration {truth}, exact estimator {estimated}");
            }
            Assert.True(nonZero > 0, $"layer {network.Layers[gated[k]].Name}: every reference derivative is zero, the test would be vacuous");
            offset += widths[k];
        }
    }
}
