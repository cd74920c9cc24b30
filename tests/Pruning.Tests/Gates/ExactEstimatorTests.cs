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
    [Fact]
    public void Exact_estimator_on_the_first_examples_equals_the_full_estimate_of_a_batch_of_those_examples_fully_connected()
    {
        using var scope = NewDisposeScope();
        using var network = TinyNetworks.FullyConnected(seed: 17);
        TinyNetworks.RandomThetas(network, seed: 18);
        var inputs = rand(new long[] { 12, 5 }, generator: new Generator(19)) * 2 - 0.5;
        var labels = randint(2, new long[] { 12 }, generator: new Generator(20));
        AssertFirstExamplesEstimate(network, inputs, labels, examples: 5);
    }

    [Fact]
    public void Exact_estimator_on_the_first_examples_equals_the_full_estimate_of_a_batch_of_those_examples_on_the_convolution_kernels()
    {
        using var scope = NewDisposeScope();
        using var network = GatedNetwork.Create(
            [
                new LayerSpec("conv1", LayerKind.Convolution, 3, Kernel: 3, Pool: 2),
                new LayerSpec("conv2", LayerKind.Convolution, 4, Kernel: 2, Pool: 2),
                new LayerSpec("fc1", LayerKind.FullyConnected, 6),
                new LayerSpec("out", LayerKind.FullyConnected, 3),
            ],
            inputChannels: 1, inputSize: 14, "kaiming-uniform", new Generator(22), theta0: 1.0);
        TinyNetworks.RandomThetas(network, seed: 23);
        Assert.True(ConvolutionFlips.Applies(network, 1, Losses.CrossEntropy));
        var inputs = rand(new long[] { 10, 1, 14, 14 }, generator: new Generator(24));
        var labels = randint(3, new long[] { 10 }, generator: new Generator(25));
        AssertFirstExamplesEstimate(network, inputs, labels, examples: 4);
    }

    // The estimate of ExactEstimator(examples) on the whole batch must be the all-examples estimate of a forward pass over
    // the batch's first `examples` rows with their gates, and (for these data) differ from the whole batch's estimate.
    private static void AssertFirstExamplesEstimate(GatedNetwork network, Tensor inputs, Tensor labels, int examples)
    {
        var batch = (int)labels.shape[0];
        var gates = network.SampleGates(batch, new Generator(26));
        var logits = network.Forward(inputs, gates, out var record);
        var loss = Losses.CrossEntropy(logits, labels).detach();
        var estimator = new ExactEstimator(0, examples);
        Assert.Equal(examples, estimator.EvaluatedExamples(batch));
        Assert.Equal(batch - 1, new ExactEstimator(0, batch + 5).EvaluatedExamples(batch - 1));
        var subsampled = estimator.Estimate(new GateBatch(network, inputs, labels, gates, record, loss, new Tensor?[gates.Length], new Generator(27)));

        var firstGates = gates.Select(g => g?.narrow(0, 0, examples).contiguous()).ToArray();
        var firstLogits = network.Forward(inputs.narrow(0, 0, examples), firstGates, out var firstRecord);
        var firstLabels = labels.narrow(0, 0, examples);
        var firstLoss = Losses.CrossEntropy(firstLogits, firstLabels).detach();
        var expected = ExactEstimator.Estimate(network, firstRecord, firstGates, firstLabels, firstLoss, Losses.CrossEntropy, 0, new Generator(28), out _);
        var whole = ExactEstimator.Estimate(network, record, gates, labels, loss, Losses.CrossEntropy, 0, new Generator(28), out _);
        var differs = false;
        foreach (var i in network.GatedIndices)
        {
            var actual = subsampled.DataGradients[i]!.data<float>().ToArray();
            var want = expected[i]!.data<float>().ToArray();
            Assert.Equal(want.Length, actual.Length);
            for (var g = 0; g < want.Length; g++)
            {
                Assert.True(Math.Abs(want[g] - actual[g]) <= 1e-5 * Math.Max(1, Math.Abs(want[g])), $"layer {i} group {g}: {actual[g]} != {want[g]}");
            }
            Assert.Null(subsampled.UpdateMasks[i]);
            differs |= !actual.SequenceEqual(whole[i]!.data<float>().ToArray());
        }
        Assert.True(differs, "the first examples' estimate equals the whole batch's: the test data cannot tell them apart");
    }

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
