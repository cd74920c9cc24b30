using Sweep.Pruning.Gates;
using Sweep.Pruning.Models;
using Sweep.Pruning.Tests.Engine;
using Sweep.Pruning.Tests.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Sweep.Pruning.Tests.Gates;

/// <summary>
/// The exact estimator's convolution cases (<see cref="ConvolutionFlips"/>: a convolution's flips through the
/// next convolution, its pooling and the fully connected layers; <see cref="FlattenFlips"/>: a convolution's
/// flips into a flattening fully connected layer) against the tensor path they replace and a float64 reference
/// that recomputes every flipped network from scratch.
/// </summary>
[Collection(ConvolutionPathCollection.Name)]
public class ConvolutionFlipsTests : IClassFixture<OneLibtorchThread>
{
    // 1x14x14 - conv 3 (3x3, pool 2) - conv 4 (2x2 -> 5x5, pool 2 -> 2x2: the floor drops a row and a column) - fc 6 - 3 classes.
    private static GatedNetwork Small(int seed) => GatedNetwork.Create(
        [
            new LayerSpec("conv1", LayerKind.Convolution, 3, Kernel: 3, Pool: 2),
            new LayerSpec("conv2", LayerKind.Convolution, 4, Kernel: 2, Pool: 2),
            new LayerSpec("fc1", LayerKind.FullyConnected, 6),
            new LayerSpec("out", LayerKind.FullyConnected, 3),
        ],
        inputChannels: 1, inputSize: 14, "kaiming-uniform", new Generator((ulong)seed), theta0: 1.0);

    [Fact]
    public void Convolution_flips_match_the_tensor_path_and_a_float64_reference()
    {
        using var scope = NewDisposeScope();
        using var network = Small(seed: 21);
        TinyNetworks.RandomThetas(network, seed: 22, low: 0.3, high: 0.8);
        Assert.True(ConvolutionFlips.Applies(network, 1, Losses.CrossEntropy));
        Assert.True(FlattenFlips.Applies(network, 2, Losses.CrossEntropy));
        Assert.False(ConvolutionFlips.Applies(network, 2, Losses.CrossEntropy));
        AssertMatches(network, batch: 7, classes: 3, seed: 23, tolerance: 1e-5);
    }

    [Fact]
    public void Convolution_flips_match_the_tensor_path_at_lenet5_caffe_shapes()
    {
        using var scope = NewDisposeScope();
        using var network = GatedNetwork.Create(Architectures.Layers("lenet5-caffe", 1.0, 10), 1, 28, "kaiming-uniform", new Generator(31), theta0: 0.8);
        AssertMatches(network, batch: 3, classes: 10, seed: 32, tolerance: 2e-5);
    }

    [Fact]
    public void Convolution_flips_match_the_tensor_path_on_a_training_forward_record()
    {
        // With gradients on at one thread (a trial's default), the convolutions run as DirectConvolution and conv1's
        // activations are channels-last in memory.
        using var scope = NewDisposeScope();
        using var network = GatedNetwork.Create(Architectures.Layers("lenet5-caffe", 1.0, 10), 1, 28, "kaiming-uniform", new Generator(51), theta0: 0.8);
        var (record, _, gates, labels, loss) = Sample(network, batch: 3, classes: 10, seed: 52, training: true);
        Assert.False(record.Activations[0].is_contiguous());
        foreach (var l in network.GatedIndices)
        {
            var current = ExactEstimator.PerExample(network, l, record, gates, labels, loss, Losses.CrossEntropy, null);
            var tensorPath = ExactEstimator.PerExample(network, l, record, gates, labels, loss, Losses.CrossEntropy, null, allowKernel: false);
            AssertClose(tensorPath, current, 2e-5, $"layer {network.Layers[l].Name}, training record");
        }
    }

    [Fact]
    public void Convolution_flips_over_a_group_subset_are_those_groups_columns()
    {
        using var scope = NewDisposeScope();
        using var network = Small(seed: 41);
        TinyNetworks.RandomThetas(network, seed: 42, low: 0.3, high: 0.8);
        var (record, _, gates, labels, loss) = Sample(network, batch: 5, classes: 3, seed: 43);
        var subset = tensor(new long[] { 2, 0 });
        foreach (var l in new[] { 0, 1 })
        {
            var full = ExactEstimator.PerExample(network, l, record, gates, labels, loss, Losses.CrossEntropy, null);
            var partial = ExactEstimator.PerExample(network, l, record, gates, labels, loss, Losses.CrossEntropy, subset);
            AssertClose(full.index_select(1, subset), partial, 1e-6, $"layer {l} subset");
        }
    }

    private static void AssertMatches(GatedNetwork network, int batch, int classes, int seed, double tolerance)
    {
        var (record, input, gates, labels, loss) = Sample(network, batch, classes, seed);
        foreach (var l in network.GatedIndices)
        {
            var current = ExactEstimator.PerExample(network, l, record, gates, labels, loss, Losses.CrossEntropy, null);
            var tensorPath = ExactEstimator.PerExample(network, l, record, gates, labels, loss, Losses.CrossEntropy, null, allowKernel: false);
            AssertClose(tensorPath, current, tolerance, $"layer {network.Layers[l].Name} against the tensor path");
            AssertClose(Reference(network, l, input, gates, labels), current, 10 * tolerance, $"layer {network.Layers[l].Name} against float64");
            Assert.True(current.abs().max().item<float>() > 1e-3, "every flip leaves the loss unchanged: the comparison would be vacuous");
        }
    }

    private static (ForwardRecord Record, Tensor Input, Tensor?[] Gates, Tensor Labels, Tensor Loss) Sample(GatedNetwork network, int batch, int classes, int seed, bool training = false)
    {
        var generator = new Generator((ulong)seed);
        var features = network.InputChannels * network.InputSize * network.InputSize;
        var input = network.ShapeInput(rand(new long[] { batch, features }, generator: generator));
        var labels = randint(classes, new long[] { batch }, generator: generator);
        var gates = network.SampleGates(batch, generator);
        Assert.Contains(gates.Where(g => g is not null), g => g!.min().item<float>() == 0);
        if (training)
        {
            var trained = network.Forward(input, gates, out var trainingRecord);
            return (trainingRecord, input, gates, labels, Losses.CrossEntropy(trained, labels).detach());
        }
        using var noGrad = no_grad();
        var logits = network.Forward(input, gates, out var record);
        return (record, input, gates, labels, Losses.CrossEntropy(logits, labels));
    }

    // D per example and group of layer l in float64: the network recomputed with that one gate flipped.
    private static Tensor Reference(GatedNetwork network, int l, Tensor input, Tensor?[] gates, Tensor labels)
    {
        var x = input.to_type(float64);
        var g64 = gates.Select(g => g?.to_type(float64)).ToArray();
        var sampled = Loss64(network, x, g64, labels);
        var width = network.Layers[l].Width;
        var columns = new Tensor[width];
        for (var g = 0; g < width; g++)
        {
            var flippedGates = g64.ToArray();
            var column = flippedGates[l]!.clone();
            column[.., g] = 1 - column[.., g];
            flippedGates[l] = column;
            var direction = g64[l]![.., g] * 2 - 1;
            columns[g] = direction * (sampled - Loss64(network, x, flippedGates, labels));
        }
        return stack(columns, 1);
    }

    private static Tensor Loss64(GatedNetwork network, Tensor x, Tensor?[] gates, Tensor labels)
    {
        var h = x;
        for (var i = 0; i < network.Layers.Count; i++)
        {
            var layer = network.Layers[i];
            var w = layer.Weight.detach().to_type(float64);
            var b = layer.Bias.detach().to_type(float64);
            var z = layer.Kind == LayerKind.Convolution
                ? nn.functional.conv2d(h, w, b)
                : nn.functional.linear(h.dim() > 2 ? h.flatten(1) : h, w, b);
            if (layer.Kind == LayerKind.Convolution && layer.Pool > 1)
            {
                z = nn.functional.max_pool2d(z, layer.Pool, layer.Pool);
            }
            if (i == network.Layers.Count - 1)
            {
                return z.logsumexp(1) - z.gather(1, labels.unsqueeze(1)).squeeze(1);
            }
            var a = nn.functional.relu(z);
            h = gates[i] is { } g ? GatedLayer.ApplyGates(a, g) : a;
        }
        throw new InvalidOperationException("unreachable");
    }

    private static void AssertClose(Tensor expected, Tensor actual, double tolerance, string what)
    {
        Assert.Equal(expected.shape, actual.shape);
        var e = expected.to_type(float64).contiguous().data<double>().ToArray();
        var a = actual.to_type(float64).contiguous().data<double>().ToArray();
        for (var k = 0; k < e.Length; k++)
        {
            Assert.True(Math.Abs(e[k] - a[k]) <= tolerance * Math.Max(1, Math.Abs(e[k])), $"{what}: element {k}: expected {e[k]}, got {a[k]}");
        }
    }
}
