using Sweep.Options;
using Sweep.Pruning.Optimization;
using TorchSharp;
using static TorchSharp.torch;

namespace Sweep.Pruning.Tests.Optimization;

public class WeightOptimizerTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Adam_steps_match_pytorch_formulation_in_float64(bool withDecay)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(3);
        // A weight with rows of 13 (not a multiple of the vector width), a bias and a convolution.
        var parameters = new[]
        {
            randn(new long[] { 7, 13 }, generator: generator),
            randn(7, generator: generator),
            randn(new long[] { 4, 3, 5, 5 }, generator: generator),
        };
        var decays = withDecay
            ? new Tensor?[] { rand(7, generator: generator) * 0.1, rand(7, generator: generator) * 0.1, rand(4, generator: generator) * 0.1 }
            : new Tensor?[3];
        var reference = parameters.Select(p => p.to_type(float64)).ToArray();
        var m = reference.Select(r => zeros_like(r)).ToArray();
        var v = reference.Select(r => zeros_like(r)).ToArray();
        using var optimizer = new WeightOptimizer(WeightOptimizerKind.Adam, parameters);

        for (var step = 1; step <= 5; step++)
        {
            var gradients = parameters.Select(p => randn(p.shape, generator: generator)).ToArray();
            optimizer.Step(parameters, gradients, learningRate: 0.01, decays);
            for (var i = 0; i < parameters.Length; i++)
            {
                var g = gradients[i].to_type(float64);
                if (decays[i] is { } d)
                {
                    var shape = Enumerable.Repeat(1L, (int)g.dim()).ToArray();
                    shape[0] = -1;
                    g = g + reference[i] * d.to_type(float64).view(shape);
                }
                m[i] = m[i] * WeightOptimizer.Beta1 + g * (1 - WeightOptimizer.Beta1);
                v[i] = v[i] * WeightOptimizer.Beta2 + g * g * (1 - WeightOptimizer.Beta2);
                var denominator = (v[i] / (1 - Math.Pow(WeightOptimizer.Beta2, step))).sqrt() + WeightOptimizer.Epsilon;
                reference[i] = reference[i] - 0.01 / (1 - Math.Pow(WeightOptimizer.Beta1, step)) * m[i] / denominator;
            }
        }
        for (var i = 0; i < parameters.Length; i++)
        {
            var moved = (parameters[i].to_type(float64) - reference[i]).abs().max().item<double>();
            Assert.True(moved < 1e-5, $"parameter {i}: largest difference from the float64 reference {moved}");
            Assert.True(optimizer.First[i].to_type(float64).allclose(m[i], rtol: 1e-5, atol: 1e-6), $"parameter {i}: first moment differs");
            Assert.True(optimizer.Second[i].to_type(float64).allclose(v[i], rtol: 1e-5, atol: 1e-6), $"parameter {i}: second moment differs");
        }
    }

    [Fact]
    public void Adam_kernel_and_tensor_path_agree_on_a_non_contiguous_gradient()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(4);
        var a = randn(new long[] { 6, 10 }, generator: generator);
        var b = a.clone();
        var original = a.clone();
        var gradient = randn(new long[] { 10, 6 }, generator: generator);
        using var kernelPath = new WeightOptimizer(WeightOptimizerKind.Adam, [a]);
        using var tensorPath = new WeightOptimizer(WeightOptimizerKind.Adam, [b]);
        kernelPath.Step([a], [gradient.t().contiguous()], 0.05);
        tensorPath.Step([b], [gradient.t()], 0.05);   // not contiguous: the tensor formulation runs
        Assert.False(AdamKernel.Applies(gradient.t()));
        Assert.True(a.allclose(b, rtol: 1e-5, atol: 1e-6), $"largest difference {(a - b).abs().max().item<float>()}, moved {(a - original).abs().max().item<float>()} vs {(b - original).abs().max().item<float>()}");
        Assert.False(a.allclose(original), "the step did not move the parameter");
    }
}
