using Sweep.Pruning.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Sweep.Pruning.Tests.Models;

public class InitializationTests
{
    [Theory]
    [InlineData("kaiming-uniform", 0.0360844)]   // U(+-1/sqrt(256)): std = 1/sqrt(3*256)
    [InlineData("kaiming-normal", 0.0883883)]    // sqrt(2/256)
    [InlineData("xavier-uniform", 0.0645497)]    // sqrt(2/(256+224))
    [InlineData("xavier-normal", 0.0645497)]
    [InlineData("orthogonal", 0.0625)]           // orthonormal rows of length 256: entries of std 1/sqrt(256)
    [InlineData("normal-0.1", 0.1)]
    public void Each_initialization_has_its_documented_scale(string init, double expectedStd)
    {
        using var scope = NewDisposeScope();
        var weight = empty(224, 256);
        var bias = empty(224);
        Initialization.Apply(init, weight, bias, new Generator(1));
        var std = weight.std().item<float>();
        Assert.InRange(std, expectedStd * 0.95, expectedStd * 1.05);
        Assert.InRange(weight.mean().item<float>(), -0.01 * expectedStd * 10, 0.01 * expectedStd * 10);
        if (init == "orthogonal")
        {
            var gram = weight.matmul(weight.t());
            Assert.True((gram - eye(224)).abs().max().item<float>() < 1e-4, "rows should be orthonormal");
        }
        if (init == "kaiming-uniform")
        {
            Assert.True(bias.abs().max().item<float>() <= 1 / 16f);
            Assert.True(bias.abs().max().item<float>() > 0);
        }
        else
        {
            Assert.Equal(0f, bias.abs().max().item<float>());
        }
    }

    [Fact]
    public void Same_generator_seed_gives_the_same_weights()
    {
        using var scope = NewDisposeScope();
        var a = empty(10, 20);
        var b = empty(10, 20);
        Initialization.Apply("xavier-normal", a, empty(10), new Generator(7));
        Initialization.Apply("xavier-normal", b, empty(10), new Generator(7));
        Assert.Equal(0f, (a - b).abs().max().item<float>());
    }

    [Theory]
    [InlineData(1.0, 300, 100)]
    [InlineData(2.0, 600, 200)]
    [InlineData(0.25, 75, 25)]
    [InlineData(0.001, 1, 1)]
    public void Width_multiplier_scales_every_hidden_layer_with_at_least_one_unit(double k, int first, int second)
    {
        var layers = Architectures.Layers("lenet300-100", k, classes: 10);
        Assert.Equal(new[] { first, second, 10 }, layers.Select(l => l.Width));
    }

    [Fact]
    public void Lenet5_caffe_has_the_documented_shapes()
    {
        using var scope = NewDisposeScope();
        using var network = GatedNetwork.Create(Architectures.Layers("lenet5-caffe", 1.0, 10), 1, 28, "kaiming-uniform", new Generator(1), 1.0);
        Assert.Equal(new long[] { 20, 1, 5, 5 }, network.Layers[0].Weight.shape);
        Assert.Equal(new long[] { 50, 20, 5, 5 }, network.Layers[1].Weight.shape);
        Assert.Equal(new long[] { 500, 800 }, network.Layers[2].Weight.shape);   // conv2 output 50 x 4 x 4
        Assert.Equal(new long[] { 10, 500 }, network.Layers[3].Weight.shape);
        var (parameters, flops) = network.Count(network.PhysicalWidths());
        Assert.Equal(20 * 26 + 50 * 501 + 500 * 801 + 10 * 501, parameters);
        Assert.Equal(24 * 24 * 20 * 25 + 8 * 8 * 50 * 500 + 800 * 500 + 500 * 10, flops);
        var logits = network.Forward(network.ShapeInput(rand(3, 784)), network.DeterministicGates());
        Assert.Equal(new long[] { 3, 10 }, logits.shape);
    }
}
