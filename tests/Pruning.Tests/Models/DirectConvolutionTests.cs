using Sweep.Pruning.Engine;
using Sweep.Pruning.Models;
using Sweep.Pruning.Tests.Engine;
using TorchSharp;
using static TorchSharp.torch;

namespace Sweep.Pruning.Tests.Models;

/// <summary>The direct convolution of Sweep's own against float64, at every conv2 shape LeNet-5-Caffe trains with.</summary>
[Collection(ConvolutionPathCollection.Name)]
public class DirectConvolutionTests : IClassFixture<OneLibtorchThread>
{
    [Fact]
    public void A_process_that_trains_with_several_threads_keeps_libtorchs_convolutions()
    {
        using var scope = NewDisposeScope();
        var input = rand(new long[] { 2, 20, 12, 12 });
        var weight = randn(new long[] { 24, 20, 5, 5 });
        var threads = get_num_threads();
        try
        {
            EngineSetup.UseThreads(2);
            Assert.False(DirectConvolution.Applies(input, weight));
            EngineSetup.UseThreads(1);
            Assert.True(DirectConvolution.Applies(input, weight));
        }
        finally
        {
            set_num_threads(threads);
        }
    }

    public static TheoryData<int, int, int> Conv2Shapes()
    {
        var data = new TheoryData<int, int, int>();
        var shapes = ConvolutionShapes.Widths.Select(w => (Architectures.Scale(20, w), Architectures.Scale(50, w)))
            .Concat(ConvolutionShapes.Compacted.Where(c => c.Conv1 > 1))
            .Append((20, 24)).Append((15, 18))   // where a lenet5-study trial spends most of its steps
            .Distinct();
        foreach (var (inputs, outputs) in shapes)
        {
            data.Add(inputs, outputs, ConvolutionShapes.TrainingBatch);
        }
        data.Add(20, 50, 1);
        data.Add(3, 5, 7);
        return data;
    }

    [Theory]
    [MemberData(nameof(Conv2Shapes))]
    public void Forward_and_all_gradients_match_float64(int inputs, int outputs, int batch)
    {
        Assert.True(DirectConvolution.IsAvailable, "this machine has no 256-bit vectors with FMA: the kernels are not exercised");
        using var scope = NewDisposeScope();
        var generator = new Generator((ulong)(inputs * 1000 + outputs * 10 + batch));
        var input = rand(new long[] { batch, inputs, 12, 12 }, generator: generator).requires_grad_(true);
        var weight = (randn(new long[] { outputs, inputs, 5, 5 }, generator: generator) * 0.2).requires_grad_(true);
        var bias = randn(outputs, generator: generator).requires_grad_(true);
        var probe = randn(new long[] { batch, outputs, 8, 8 }, generator: generator);

        Assert.True(DirectConvolution.Applies(input, weight));
        var y = DirectConvolution.Compute(input, weight, bias);
        var grads = autograd.grad([(y * probe).sum()], [input, weight, bias]);

        var x64 = input.detach().to_type(float64).requires_grad_(true);
        var w64 = weight.detach().to_type(float64).requires_grad_(true);
        var b64 = bias.detach().to_type(float64).requires_grad_(true);
        var y64 = nn.functional.conv2d(x64, w64, b64);
        var grads64 = autograd.grad([(y64 * probe.to_type(float64)).sum()], [x64, w64, b64]);

        Assert.Equal(y64.shape, y.shape);
        Assert.Equal(input.shape, grads[0].shape);
        Assert.Equal(weight.shape, grads[1].shape);
        RelativeClose.Assert(y64, y, "output");
        RelativeClose.Assert(grads64[0], grads[0], "input gradient");
        RelativeClose.Assert(grads64[1], grads[1], "weight gradient");
        RelativeClose.Assert(grads64[2], grads[2], "bias gradient");
    }

    [Theory]
    [InlineData(20, 50, 1000)]
    [InlineData(15, 18, 250)]
    [InlineData(7, 19, 3)]
    public void Forward_without_gradients_matches_float64_on_a_channels_last_view(int inputs, int outputs, int batch)
    {
        Assert.True(DirectConvolution.IsAvailable, "this machine has no 256-bit vectors with FMA: the kernels are not exercised");
        using var scope = NewDisposeScope();
        var generator = new Generator((ulong)(inputs * 7 + outputs + batch));
        // Channels-last memory starting 2 images into its storage, as pooled conv1 outputs and the evaluator's chunks arrive.
        var storage = rand(new long[] { batch + 4, 12, 12, inputs }, generator: generator);
        var input = storage.narrow(0, 2, batch).permute(0, 3, 1, 2);
        var weight = randn(new long[] { outputs, inputs, 5, 5 }, generator: generator) * 0.2;
        var bias = randn(outputs, generator: generator);
        using var noGrad = no_grad();

        var y = DirectConvolution.Compute(input, weight, bias);
        var y64 = nn.functional.conv2d(input.to_type(float64), weight.to_type(float64), bias.to_type(float64));
        Assert.Equal(y64.shape, y.shape);
        RelativeClose.Assert(y64, y, "output");
    }

    [Fact]
    public void Both_convolutions_of_a_network_use_it_in_training_and_not_in_evaluation()
    {
        Assert.True(DirectConvolution.IsAvailable, "this machine has no 256-bit vectors with FMA: the kernels are not exercised");
        using var scope = NewDisposeScope();
        using var network = GatedNetwork.Create(Architectures.Layers("lenet5-caffe", 1.0, 10), 1, 28, "kaiming-uniform", new Generator(3), theta0: 1.0);
        var (conv1, conv2) = (network.Layers[0], network.Layers[1]);
        var input = rand(new long[] { 4, 20, 12, 12 }, generator: new Generator(4));
        var images = rand(new long[] { 4, 1, 28, 28 }, generator: new Generator(5));
        Assert.True(DirectConvolution.Applies(input, conv2.Weight));
        Assert.True(DirectConvolution.Applies(images, conv1.Weight));

        var trained = conv2.Linear(input);
        Tensor evaluated;
        using (no_grad())
        {
            // Evaluation: conv1 by SingleChannelConvolution.Infer, conv2 libtorch's (NCHW output).
            Assert.False(DirectConvolution.Applies(input, conv2.Weight));
            Assert.False(DirectConvolution.Applies(images, conv1.Weight));
            Assert.True(SingleChannelConvolution.AppliesWithoutGradients(images, conv1.Weight));
            evaluated = conv2.Linear(input);
        }
        var library = nn.functional.conv2d(input.to_type(float64), conv2.Weight.detach().to_type(float64), conv2.Bias.detach().to_type(float64));
        // Channels-last in memory in training (libtorch's conv2d gives NCHW for this input), with a gradient record.
        Assert.False(trained.is_contiguous());
        Assert.True(trained.requires_grad);
        Assert.True(evaluated.is_contiguous());
        RelativeClose.Assert(library, trained, "training against float64");
        RelativeClose.Assert(library, evaluated, "evaluation against float64");
    }
}
