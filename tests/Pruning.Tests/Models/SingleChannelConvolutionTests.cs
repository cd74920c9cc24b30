using Sweep.Pruning.Engine;
using Sweep.Pruning.Models;
using Sweep.Pruning.Tests.Engine;
using TorchSharp;
using static TorchSharp.torch;

namespace Sweep.Pruning.Tests.Models;

/// <summary>
/// The first convolution of Sweep's own against float64, at every conv1 shape LeNet-5-Caffe trains with: both training
/// forms (this im2col one, the fallback, and DirectConvolution on the images), and the forward-only form of evaluation.
/// </summary>
[Collection(ConvolutionPathCollection.Name)]
public class SingleChannelConvolutionTests : IClassFixture<OneLibtorchThread>
{
    public static TheoryData<int, int, bool> Conv1Shapes()
    {
        var data = new TheoryData<int, int, bool>();
        var widths = ConvolutionShapes.Widths.Select(w => Architectures.Scale(20, w)).Concat(ConvolutionShapes.Compacted.Select(c => c.Conv1)).Distinct();
        foreach (var direct in new[] { false, true })
        {
            foreach (var outputs in widths)
            {
                data.Add(outputs, ConvolutionShapes.TrainingBatch, direct);
            }
            data.Add(20, 1, direct);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Conv1Shapes))]
    public void Forward_and_parameter_gradients_match_float64(int outputs, int batch, bool direct)
    {
        Assert.True(!direct || DirectConvolution.IsAvailable, "this machine has no 256-bit vectors with FMA: the direct kernels are not exercised");
        using var scope = NewDisposeScope();
        var generator = new Generator((ulong)(outputs * 1000 + batch));
        var input = rand(new long[] { batch, 1, 28, 28 }, generator: generator);
        var weight = (randn(new long[] { outputs, 1, 5, 5 }, generator: generator) * 0.2).requires_grad_(true);
        var bias = randn(outputs, generator: generator).requires_grad_(true);
        var probe = randn(new long[] { batch, outputs, 24, 24 }, generator: generator);

        Assert.True(direct ? DirectConvolution.Applies(input, weight) : SingleChannelConvolution.Applies(input, weight));
        var y = direct ? DirectConvolution.Compute(input, weight, bias) : SingleChannelConvolution.Apply(input, weight, bias);
        var grads = autograd.grad([(y * probe).sum()], [weight, bias]);

        var w64 = weight.detach().to_type(float64).requires_grad_(true);
        var b64 = bias.detach().to_type(float64).requires_grad_(true);
        var y64 = nn.functional.conv2d(input.to_type(float64), w64, b64);
        var grads64 = autograd.grad([(y64 * probe.to_type(float64)).sum()], [w64, b64]);

        Assert.Equal(y64.shape, y.shape);
        RelativeClose.Assert(y64, y, "output");
        RelativeClose.Assert(grads64[0], grads[0], "weight gradient");
        RelativeClose.Assert(grads64[1], grads[1], "bias gradient");
    }

    [Theory]
    [InlineData(20, 250)]
    [InlineData(7, 100)]
    [InlineData(20, 1)]
    public void Forward_without_gradients_matches_float64_in_blocks_and_on_a_view_with_an_offset(int outputs, int batch)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator((ulong)(outputs * 7 + batch));
        // A view that starts 3 images into its storage, as the evaluator's chunks of the test images do.
        var images = rand(new long[] { batch + 5, 1, 28, 28 }, generator: generator);
        var input = images.narrow(0, 3, batch);
        var weight = randn(new long[] { outputs, 1, 5, 5 }, generator: generator) * 0.2;
        var bias = randn(outputs, generator: generator);
        using var noGrad = no_grad();

        Assert.True(SingleChannelConvolution.AppliesWithoutGradients(input, weight));
        Assert.False(SingleChannelConvolution.Applies(input, weight));
        var y = SingleChannelConvolution.Infer(input, weight, bias);

        var y64 = nn.functional.conv2d(input.to_type(float64), weight.to_type(float64), bias.to_type(float64));
        Assert.Equal(y64.shape, y.shape);
        RelativeClose.Assert(y64, y, "output");
    }

    [Fact]
    public void The_layer_uses_its_forward_only_form_in_evaluation_and_the_direct_kernels_in_training()
    {
        using var scope = NewDisposeScope();
        using var network = GatedNetwork.Create(Architectures.Layers("lenet5-caffe", 1.0, 10), 1, 28, "kaiming-uniform", new Generator(3), theta0: 1.0);
        var input = rand(new long[] { 4, 1, 28, 28 }, generator: new Generator(4));
        var conv1 = network.Layers[0];
        // Training: DirectConvolution where its kernels run (this form is the fallback where they do not).
        Assert.Equal(DirectConvolution.IsAvailable, DirectConvolution.Applies(input, conv1.Weight));
        Tensor evaluated;
        Tensor library;
        using (no_grad())
        {
            Assert.False(DirectConvolution.Applies(input, conv1.Weight));
            Assert.True(SingleChannelConvolution.AppliesWithoutGradients(input, conv1.Weight));
            evaluated = conv1.Linear(input);
            library = nn.functional.conv2d(input.to_type(float64), conv1.Weight.to_type(float64), conv1.Bias.to_type(float64));
        }
        // Channels-last in memory (libtorch's conv2d gives NCHW); the same values as libtorch's in float64.
        Assert.False(evaluated.is_contiguous());
        RelativeClose.Assert(library, evaluated, "evaluation against float64");
        Assert.False(SingleChannelConvolution.Applies(rand(new long[] { 4, 20, 12, 12 }), network.Layers[1].Weight));
        using (no_grad())
        {
            Assert.False(SingleChannelConvolution.AppliesWithoutGradients(rand(new long[] { 4, 20, 12, 12 }), network.Layers[1].Weight));
        }
    }
}
