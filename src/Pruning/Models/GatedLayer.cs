using TorchSharp;
using static TorchSharp.torch;

namespace Sweep.Pruning.Models;

/// <summary>
/// One layer of a gated network: its weights and bias, and, when it is gated, one gate parameter
/// theta and one alive flag per output group (unit or filter). A convolution is followed by
/// max-pooling; a fully connected layer after a convolution reads the flattened channels, each
/// channel a block of <see cref="InputBlock"/> consecutive features.
/// The tensors are owned by the layer (outside any dispose scope) and replaced on compaction.
/// </summary>
public sealed class GatedLayer : IDisposable
{
    internal GatedLayer(string name, LayerKind kind, bool gated, int kernel, int pool, int inputSize, int inputBlock)
    {
        Name = name;
        Kind = kind;
        Gated = gated;
        Kernel = kernel;
        Pool = pool;
        InputSize = inputSize;
        InputBlock = inputBlock;
    }

    public string Name { get; }
    public LayerKind Kind { get; }
    public bool Gated { get; }

    /// <summary>Convolution kernel size (square); 1 for fully connected layers.</summary>
    public int Kernel { get; }

    /// <summary>Max-pool size after a convolution (1: none).</summary>
    public int Pool { get; }

    /// <summary>Spatial input size (square) of a convolution; 1 for fully connected layers.</summary>
    public int InputSize { get; }

    /// <summary>Features per input group: H*W of the previous convolution's output when flattening, else 1.</summary>
    public int InputBlock { get; }

    /// <summary>Spatial size of the convolution's output before pooling.</summary>
    public int ConvOutputSize => Kind == LayerKind.Convolution ? InputSize - Kernel + 1 : 1;

    /// <summary>Spatial size of the layer's output after pooling.</summary>
    public int OutputSize => Kind == LayerKind.Convolution ? ConvOutputSize / Pool : 1;

    /// <summary>Weights [out, in] or [out, in, k, k]; not set for the input layer.</summary>
    public Tensor Weight { get; internal set; } = null!;

    /// <summary>Bias [out]; not set for the input layer.</summary>
    public Tensor Bias { get; internal set; } = null!;

    /// <summary>Input layer only: the index, among the data's features, of each physical input (int64).</summary>
    public Tensor? Features { get; internal set; }

    public bool HasParameters => Kind != LayerKind.Input;

    /// <summary>Gate parameters in [0, 1], one per group (gated layers only).</summary>
    public Tensor? Theta { get; internal set; }

    /// <summary>1 for groups still in the network, 0 for pruned groups awaiting compaction (gated layers only).</summary>
    public Tensor? Alive { get; internal set; }

    /// <summary>Physical number of groups (outputs), pruned-but-not-compacted groups included.</summary>
    public int Width => Kind == LayerKind.Input ? (int)Theta!.shape[0] : (int)Weight.shape[0];

    /// <summary>Physical number of input groups (input features, or input channels of a convolution or flatten).</summary>
    public int InputGroups => Kind switch
    {
        LayerKind.Convolution => (int)Weight.shape[1],
        LayerKind.Input => Width,
        _ => (int)Weight.shape[1] / InputBlock,
    };

    /// <summary>Multiply-adds per example of one output group when <paramref name="inputGroups"/> inputs are connected.</summary>
    public long GroupFlops(long inputGroups) => Kind switch
    {
        LayerKind.Convolution => (long)ConvOutputSize * ConvOutputSize * inputGroups * Kernel * Kernel,
        LayerKind.Input => 0,
        _ => inputGroups * InputBlock,
    };

    /// <summary>Parameters of one output group (incoming weights and bias) when <paramref name="inputGroups"/> inputs are connected.</summary>
    public long GroupParameters(long inputGroups) => Kind == LayerKind.Input ? 0 : inputGroups * InputBlock * Kernel * Kernel + 1;

    /// <summary>The affine part: convolution or matrix product, plus bias (before pooling).</summary>
    public Tensor Linear(Tensor input) => Kind switch
    {
        LayerKind.Convolution => Convolve(input),
        LayerKind.Input => input,
        _ => nn.functional.linear(input.dim() > 2 ? input.flatten(1) : input, Weight, Bias),
    };

    // The convolution by Sweep's own kernels where they apply (DirectConvolution; SingleChannelConvolution for one input
    // channel where the direct kernels do not run), else libtorch's.
    private Tensor Convolve(Tensor input)
    {
        if (DirectConvolution.Applies(input, Weight))
        {
            return DirectConvolution.Compute(input, Weight, Bias);
        }
        if (SingleChannelConvolution.Applies(input, Weight))
        {
            return SingleChannelConvolution.Apply(input, Weight, Bias);
        }
        return SingleChannelConvolution.AppliesWithoutGradients(input, Weight)
            ? SingleChannelConvolution.Infer(input, Weight, Bias)
            : nn.functional.conv2d(input, Weight, Bias);
    }

    /// <summary>The activation: ReLU, the identity for the input layer.</summary>
    public Tensor Activation(Tensor z) => Kind == LayerKind.Input ? z : nn.functional.relu(z);

    /// <summary>What follows the affine part before the activation: max-pooling for convolutions.</summary>
    public Tensor Post(Tensor linear) => Kind == LayerKind.Convolution && Pool > 1
        ? nn.functional.max_pool2d(linear, Pool, Pool)
        : linear;

    /// <summary>Multiplies activations [M, G] or [M, G, H, W] by gates [M, G].</summary>
    public static Tensor ApplyGates(Tensor activation, Tensor gates) => activation.dim() == 4
        ? activation * gates.view(gates.shape[0], gates.shape[1], 1, 1)
        : activation * gates;

    /// <summary>Squared norm of each group's incoming parameters (row of weights and bias), inputs masked by <paramref name="inputMask"/>.</summary>
    internal Tensor GroupSquaredNorms(Tensor? inputMask)
    {
        if (Kind == LayerKind.Input)
        {
            return zeros(Width);
        }
        var w2 = Weight.detach().square();
        if (inputMask is not null)
        {
            w2 = Kind == LayerKind.Convolution
                ? w2 * inputMask.view(1, -1, 1, 1)
                : w2 * inputMask.view(1, -1);
        }
        var dims = Kind == LayerKind.Convolution ? new long[] { 1, 2, 3 } : new long[] { 1 };
        return w2.sum(dims) + Bias.detach().square();
    }

    public void Dispose()
    {
        Weight?.Dispose();
        Bias?.Dispose();
        Theta?.Dispose();
        Alive?.Dispose();
        Features?.Dispose();
    }
}
