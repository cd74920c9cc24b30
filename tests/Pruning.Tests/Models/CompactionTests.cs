using Sweep.Options;
using Sweep.Pruning.Models;
using Sweep.Pruning.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Sweep.Pruning.Tests.Models;

public class CompactionTests
{
    [Fact]
    public void Compaction_keeps_outputs_identical_fully_connected()
    {
        using var scope = NewDisposeScope();
        using var network = GatedNetwork.Create(
            [
                new LayerSpec("fc1", LayerKind.FullyConnected, 6),
                new LayerSpec("fc2", LayerKind.FullyConnected, 5),
                new LayerSpec("out", LayerKind.FullyConnected, 3),
            ],
            inputChannels: 7, inputSize: 1, "kaiming-uniform", new Generator(1), theta0: 1.0);
        TinyNetworks.RandomThetas(network, seed: 2, low: 0.3, high: 1.0);
        Prune(network, 0, 1, 4);
        Prune(network, 1, 0, 2, 3);
        var inputs = randn(new long[] { 20, 7 }, generator: new Generator(3));
        AssertCompactionKeepsOutputs(network, inputs, expectedWidths: [4, 2]);
    }

    [Fact]
    public void Compaction_keeps_outputs_identical_convolutional()
    {
        using var scope = NewDisposeScope();
        using var network = TinyNetworks.Convolutional(seed: 4, conv1: 4, conv2: 3, fc: 5);
        TinyNetworks.RandomThetas(network, seed: 5, low: 0.3, high: 1.0);
        Prune(network, 0, 0, 2);
        Prune(network, 2, 1, 3);
        var inputs = rand(new long[] { 10, 64 }, generator: new Generator(6));
        AssertCompactionKeepsOutputs(network, inputs, expectedWidths: [2, 3, 3]);
    }

    [Fact]
    public void Compaction_keeps_outputs_identical_across_the_conv_to_fc_flatten()
    {
        using var scope = NewDisposeScope();
        using var network = TinyNetworks.Convolutional(seed: 7, conv1: 3, conv2: 4, fc: 3);
        TinyNetworks.RandomThetas(network, seed: 8, low: 0.3, high: 1.0);
        Prune(network, 1, 0, 2);   // conv2 feeds fc1 through the flatten: its 2x2 blocks of columns go
        var fcInputsBefore = network.Layers[2].Weight.shape[1];
        var inputs = rand(new long[] { 10, 64 }, generator: new Generator(9));
        AssertCompactionKeepsOutputs(network, inputs, expectedWidths: [3, 2, 3]);
        Assert.Equal(fcInputsBefore / 2, network.Layers[2].Weight.shape[1]);
    }

    [Fact]
    public void Compaction_keeps_outputs_identical_with_input_gates()
    {
        using var scope = NewDisposeScope();
        using var network = GatedNetwork.Create(
            [
                new LayerSpec("fc1", LayerKind.FullyConnected, 4),
                new LayerSpec("fc2", LayerKind.FullyConnected, 3),
                new LayerSpec("out", LayerKind.FullyConnected, 2),
            ],
            inputChannels: 6, inputSize: 1, "kaiming-uniform", new Generator(12), theta0: 1.0, inputGates: true);
        TinyNetworks.RandomThetas(network, seed: 13, low: 0.3, high: 1.0);
        Prune(network, 0, 1, 4);   // two input features
        Prune(network, 1, 2);
        var inputs = rand(new long[] { 10, 6 }, generator: new Generator(14));
        var before = network.Forward(network.ShapeInput(inputs), network.DeterministicGates()).detach().clone();
        network.Compact();
        Assert.Equal(new[] { 4, 3, 3 }, network.PhysicalWidths());
        Assert.Equal(new long[] { 0, 2, 3, 5 }, network.Layers[0].Features!.data<long>().ToArray());
        Assert.Equal(new long[] { 3, 4 }, network.Layers[1].Weight.shape);
        AssertClose(before, network.Forward(network.ShapeInput(inputs), network.DeterministicGates()));
        var (parameters, flops) = network.Count(network.PhysicalWidths());
        Assert.Equal(3 * 5 + 3 * 4 + 2 * 4, parameters);
        Assert.Equal(3 * 4 + 3 * 3 + 2 * 3, flops);
    }

    [Fact]
    public void A_layer_losing_its_last_unit_is_reported_as_a_collapse()
    {
        using var scope = NewDisposeScope();
        using var network = TinyNetworks.FullyConnected(seed: 10);
        Prune(network, 1, 0, 1, 2);
        var error = Assert.Throws<LayerCollapsedException>(() => network.Compact());
        Assert.Equal("fc2", error.LayerName);
        Assert.Contains("fc2", error.Message);
    }

    [Fact]
    public void A_trial_whose_layer_loses_its_last_unit_fails_as_collapsed()
    {
        using var scope = NewDisposeScope();
        var data = SyntheticData.Prototypes(train: 16, test: 4, size: 4, classes: 3, seed: 11);
        using var session = new TrainingSession(new TrialOptions { Width = 0.05 }, data, null, default);
        Prune(session.Network, 1, Enumerable.Range(0, session.Network.Layers[1].Width).Select(g => (long)g).ToArray());
        var error = Assert.Throws<TrainingFailedException>(() => session.Compact());
        Assert.Equal("collapsed", error.Reason);
        Assert.Equal("Layer fc2 lost its last unit: every gate reached 0.", error.Message);
    }

    [Fact]
    public void Next_optimizer_step_after_compaction_equals_the_masked_networks_step()
    {
        using var scope = NewDisposeScope();
        var data = SyntheticData.Prototypes(train: 64, test: 8, size: 4, classes: 3, seed: 11);
        // lr-theta 0 keeps theta at exactly 0 or 1, so the sampled gates do not depend on the layer widths.
        var options = new TrialOptions { Width = 0.05, Seed = 3, BatchSize = 16, ThetaLearningRate = 0, LearningRate = 0.01 };
        using var compacted = new TrainingSession(options, data, null, default);
        using var masked = new TrainingSession(options, data, null, default);
        var (images, labels, _, _) = data.Tensors;
        var x = images.narrow(0, 0, 16);
        var y = labels.narrow(0, 0, 16);
        foreach (var session in new[] { compacted, masked })
        {
            Prune(session.Network, 0, 1, 5, 6);
            Prune(session.Network, 1, 2);
            for (var s = 0; s < 3; s++)
            {
                session.TrainStep(x, y);   // Adam moments of every parameter become non-zero
                session.AdvanceStep();
            }
        }
        compacted.Compact();
        Assert.Equal(new[] { 12, 4 }, compacted.Network.PhysicalWidths());
        Assert.Equal(new[] { 15, 5 }, masked.Network.PhysicalWidths());

        compacted.TrainStep(x, y);
        masked.TrainStep(x, y);

        var keep1 = tensor(new long[] { 0, 2, 3, 4, 7, 8, 9, 10, 11, 12, 13, 14 });
        var keep2 = tensor(new long[] { 0, 1, 3, 4 });
        AssertClose(masked.Network.Layers[0].Weight.index_select(0, keep1), compacted.Network.Layers[0].Weight);
        AssertClose(masked.Network.Layers[0].Bias.index_select(0, keep1), compacted.Network.Layers[0].Bias);
        AssertClose(masked.Network.Layers[1].Weight.index_select(0, keep2).index_select(1, keep1), compacted.Network.Layers[1].Weight);
        AssertClose(masked.Network.Layers[2].Weight.index_select(1, keep2), compacted.Network.Layers[2].Weight);
        AssertClose(masked.Optimizer.Second[2].index_select(0, keep2).index_select(1, keep1), compacted.Optimizer.Second[2]);
        AssertClose(masked.Optimizer.First[4].index_select(1, keep2), compacted.Optimizer.First[4]);
        var gates = masked.Network.DeterministicGates();
        AssertClose(masked.Network.Forward(x, gates), compacted.Network.Forward(x, compacted.Network.DeterministicGates()));
    }

    internal static void Prune(GatedNetwork network, int layerIndex, params long[] groups)
    {
        using var noGrad = no_grad();
        var layer = network.Layers[layerIndex];
        var index = tensor(groups);
        layer.Theta!.index_fill_(0, index, 0.0);
        layer.Alive!.index_fill_(0, index, 0.0);
    }

    private static void AssertCompactionKeepsOutputs(GatedNetwork network, Tensor flatInputs, int[] expectedWidths)
    {
        var inputs = network.ShapeInput(flatInputs);
        var deterministicBefore = network.Forward(inputs, network.DeterministicGates()).detach().clone();
        var meanBefore = network.Forward(inputs, network.MeanGates()).detach().clone();
        var thetaBefore = network.GatedIndices.Select(i => network.Layers[i].Theta!.clone()).ToArray();

        network.Compact();

        Assert.Equal(expectedWidths, network.PhysicalWidths());
        AssertClose(deterministicBefore, network.Forward(inputs, network.DeterministicGates()));
        AssertClose(meanBefore, network.Forward(inputs, network.MeanGates()));
        var gated = network.GatedIndices.ToArray();
        for (var k = 0; k < gated.Length; k++)
        {
            // The kept groups keep their theta, in order.
            var kept = thetaBefore[k].data<float>().Where(t => t > 0).ToArray();
            Assert.Equal(kept, network.Layers[gated[k]].Theta!.data<float>().ToArray());
        }
    }

    private static void AssertClose(Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.shape, actual.shape);
        var difference = (expected.detach() - actual.detach()).abs().max().item<float>();
        Assert.True(difference <= 1e-6, $"largest difference {difference}");
    }
}
