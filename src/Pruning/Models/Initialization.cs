using TorchSharp;
using static TorchSharp.torch;

namespace Sweep.Pruning.Models;

/// <summary>
/// The six weight initializations of docs/ALGORITHM.md, drawn from the trial's generator so a seed fixes them.
/// kaiming-uniform is the framework default (PyTorch's Linear/Conv2d reset: U(+-1/sqrt(fan_in)) for
/// weights and bias); the others follow torch.nn.init with a zero bias:
/// kaiming-normal N(0, 2/fan_in) (ReLU gain), xavier-uniform U(+-sqrt(6/(fan_in+fan_out))),
/// xavier-normal N(0, 2/(fan_in+fan_out)), orthogonal (gain 1, rows of the flattened weight
/// orthonormal), normal-0.1 N(0, 0.01) (the deliberately poor one).
/// </summary>
public static class Initialization
{
    /// <summary>Fills <paramref name="weight"/> [out, in(, k, k)] and <paramref name="bias"/> [out] in place.</summary>
    public static void Apply(string name, Tensor weight, Tensor bias, Generator generator)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var outputs = weight.shape[0];
        var receptive = weight.dim() == 4 ? weight.shape[2] * weight.shape[3] : 1;
        var fanIn = weight.shape[1] * receptive;
        var fanOut = outputs * receptive;
        Tensor w;
        Tensor b;
        switch (name)
        {
            case "kaiming-uniform":
                {
                    var bound = 1.0 / Math.Sqrt(fanIn);
                    w = Uniform(weight.shape, bound, generator);
                    b = Uniform(bias.shape, bound, generator);
                    break;
                }
            case "kaiming-normal":
                w = randn(weight.shape, generator: generator) * Math.Sqrt(2.0 / fanIn);
                b = zeros(bias.shape);
                break;
            case "xavier-uniform":
                w = Uniform(weight.shape, Math.Sqrt(6.0 / (fanIn + fanOut)), generator);
                b = zeros(bias.shape);
                break;
            case "xavier-normal":
                w = randn(weight.shape, generator: generator) * Math.Sqrt(2.0 / (fanIn + fanOut));
                b = zeros(bias.shape);
                break;
            case "orthogonal":
                w = Orthogonal(outputs, fanIn, generator).reshape(weight.shape);
                b = zeros(bias.shape);
                break;
            case "normal-0.1":
                w = randn(weight.shape, generator: generator) * 0.1;
                b = zeros(bias.shape);
                break;
            default:
                throw new ArgumentException($"Unknown initialization '{name}'.", nameof(name));
        }
        weight.copy_(w);
        bias.copy_(b);
    }

    private static Tensor Uniform(long[] shape, double bound, Generator generator) =>
        rand(shape, generator: generator) * (2 * bound) - bound;

    // As torch.nn.init.orthogonal_: QR of a Gaussian matrix, signs fixed by R's diagonal.
    private static Tensor Orthogonal(long rows, long cols, Generator generator)
    {
        var flat = randn(new[] { rows, cols }, dtype: float64, generator: generator);
        var transposed = rows < cols;
        if (transposed)
        {
            flat = flat.t();
        }
        var (q, r) = linalg.qr(flat);
        q = q * r.diagonal().sign().unsqueeze(0);
        if (transposed)
        {
            q = q.t();
        }
        return q.contiguous().to_type(float32);
    }
}
