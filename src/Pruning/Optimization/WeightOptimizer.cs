using Sweep.Options;
using TorchSharp;
using static TorchSharp.torch;

namespace Sweep.Pruning.Optimization;

/// <summary>
/// Adam (PyTorch's formulation, no weight decay) or SGD with momentum 0.9 for the weights, with its
/// state held as plain tensors parallel to the parameters, so compaction can slice it exactly like the
/// parameters and checkpoints can store it.
/// </summary>
internal sealed class WeightOptimizer : IDisposable
{
    public const double Beta1 = 0.9;
    public const double Beta2 = 0.999;
    public const double Epsilon = 1e-8;
    public const double Momentum = 0.9;

    public WeightOptimizer(WeightOptimizerKind kind, IReadOnlyList<Tensor> parameters)
    {
        Kind = kind;
        First = parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToList();
        Second = kind == WeightOptimizerKind.Adam ? parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToList() : [];
    }

    public WeightOptimizerKind Kind { get; }

    /// <summary>Steps taken (Adam's bias correction).</summary>
    public long StepCount { get; set; }

    /// <summary>Adam's first moments, or SGD's momentum buffers.</summary>
    public List<Tensor> First { get; }

    /// <summary>Adam's second moments (empty for SGD).</summary>
    public List<Tensor> Second { get; }

    /// <summary>
    /// One step of every parameter. <paramref name="rowDecay"/> (optional, per parameter: null or one factor per
    /// row, i.e. per output unit or filter) adds r_row w to the gradient first: the slab's weight decay.
    /// </summary>
    public void Step(IReadOnlyList<Tensor> parameters, IReadOnlyList<Tensor> gradients, double learningRate, IReadOnlyList<Tensor?>? rowDecay = null)
    {
        using var noGrad = no_grad();
        StepCount++;
        if (Kind == WeightOptimizerKind.Adam)
        {
            var correction1 = 1 - Math.Pow(Beta1, StepCount);
            var correction2 = 1 - Math.Pow(Beta2, StepCount);
            var stepSize = learningRate / correction1;
            var sqrtCorrection2 = Math.Sqrt(correction2);
            for (var i = 0; i < parameters.Count; i++)
            {
                var decay = rowDecay?[i];
                if (AdamKernel.Applies(parameters[i], gradients[i], First[i], Second[i]))
                {
                    AdamKernel.Step(parameters[i], gradients[i], First[i], Second[i], decay, Beta1, Beta2, Epsilon, stepSize, sqrtCorrection2);
                    continue;
                }
                using var g = WithDecay(parameters[i], gradients[i], decay);
                First[i].mul_(Beta1).add_(g, 1 - Beta1);
                Second[i].mul_(Beta2).addcmul_(g, g, 1 - Beta2);
                using var denominator = Second[i].sqrt().div_(sqrtCorrection2).add_(Epsilon);
                parameters[i].addcdiv_(First[i], denominator, -stepSize);
            }
        }
        else
        {
            for (var i = 0; i < parameters.Count; i++)
            {
                using var g = WithDecay(parameters[i], gradients[i], rowDecay?[i]);
                First[i].mul_(Momentum).add_(g);
                parameters[i].add_(First[i], -learningRate);
            }
        }
    }

    // g + r_row w as a new tensor (the caller's gradient is left as it was).
    private static Tensor WithDecay(Tensor parameter, Tensor gradient, Tensor? rowDecay)
    {
        if (rowDecay is null)
        {
            return gradient.alias();
        }
        var shape = Enumerable.Repeat(1L, (int)parameter.dim()).ToArray();
        shape[0] = -1;
        return gradient.addcmul(parameter.detach(), rowDecay.view(shape), 1);
    }

    /// <summary>Keeps only <paramref name="index"/> along <paramref name="dimension"/> of parameter <paramref name="parameterIndex"/>'s state.</summary>
    public void Slice(int parameterIndex, int dimension, Tensor index)
    {
        First[parameterIndex] = SliceOne(First[parameterIndex], dimension, index);
        if (Second.Count > 0)
        {
            Second[parameterIndex] = SliceOne(Second[parameterIndex], dimension, index);
        }
    }

    private static Tensor SliceOne(Tensor old, int dimension, Tensor index)
    {
        var result = old.index_select(dimension, index).contiguous().DetachFromDisposeScope();
        old.Dispose();
        return result;
    }

    public void Dispose()
    {
        foreach (var t in First.Concat(Second))
        {
            t.Dispose();
        }
    }
}
