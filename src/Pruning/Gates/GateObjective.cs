using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using Sweep.Pruning.Engine;
using Sweep.Pruning.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Sweep.Pruning.Gates;

/// <summary>
/// The parts of dF/dtheta that do not come from the data, and the projected SGD step on theta:
/// dF/dtheta_g = D_g + (|w_g|^2 / (2 sigma1^2) + m_l c n_g + m'_l c_f f_g / 1000) / N
/// [+ (logit theta_g - logit PI) / N under a fixed prior], where n_g are the group's parameters and
/// f_g its multiply-adds per example, both counting only inputs from groups still alive.
/// Computed on the tensors' memory (a few hundred gates per layer): done with tensor operations the
/// step cost about 25 small operations per layer, which dominated training steps once a network
/// was pruned small.
/// </summary>
internal sealed class GateObjective
{
    private const double LogitClamp = 1e-6;

    private readonly GateObjectiveParameters _parameters;
    private readonly double _examples;
    private readonly double[] _costMultipliers;
    private readonly double[] _flopMultipliers;

    public GateObjective(GateObjectiveParameters parameters, int examples, int gatedLayers)
    {
        _parameters = parameters;
        _examples = examples;
        _costMultipliers = parameters.CostMultipliers.Count == gatedLayers ? parameters.CostMultipliers.ToArray() : Enumerable.Repeat(1.0, gatedLayers).ToArray();
        _flopMultipliers = parameters.FlopCostMultipliers.Count == gatedLayers ? parameters.FlopCostMultipliers.ToArray() : Enumerable.Repeat(1.0, gatedLayers).ToArray();
    }

    /// <summary>The data-independent part of dF/dtheta for layer <paramref name="i"/> (the <paramref name="gatedIndex"/>-th gated layer).</summary>
    public Tensor CostGradient(GatedNetwork network, int i, int gatedIndex) => tensor(CostGradientValues(network, i, gatedIndex));

    /// <summary>
    /// theta &lt;- clamp(theta - lr (D + cost), 0, 1) on alive groups (where <paramref name="updateMasks"/> allows);
    /// groups at or below tau are pruned for good (alive = 0, theta = 0).
    /// </summary>
    public void Step(GatedNetwork network, IReadOnlyList<Tensor?> dataGradients, IReadOnlyList<Tensor?> updateMasks, double learningRate)
    {
        var gatedIndex = 0;
        foreach (var i in network.GatedIndices)
        {
            var layer = network.Layers[i];
            var cost = CostGradientValues(network, i, gatedIndex++);
            var data = TensorMemory.CopyFloats(dataGradients[i]!);
            var mask = updateMasks.Count > i && updateMasks[i] is { } m ? TensorMemory.CopyFloats(m) : null;
            var theta = TensorMemory.Floats(layer.Theta!);
            var alive = TensorMemory.Floats(layer.Alive!);
            for (var g = 0; g < theta.Length; g++)
            {
                if (alive[g] == 0)
                {
                    theta[g] = 0;
                    continue;
                }
                var gradient = data[g] + cost[g];
                if (mask is not null)
                {
                    gradient *= mask[g];
                }
                var next = Math.Clamp(theta[g] - (float)(learningRate * gradient), 0f, 1f);
                if (next <= _parameters.PruneThreshold)
                {
                    alive[g] = 0;
                    next = 0;
                }
                theta[g] = next;
            }
        }
    }

    private float[] CostGradientValues(GatedNetwork network, int i, int gatedIndex)
    {
        var layer = network.Layers[i];
        var previousAlive = i > 0 && network.Layers[i - 1].Gated ? TensorMemory.Floats(network.Layers[i - 1].Alive!).ToArray() : null;
        double parameters, flops;
        double[] norms;
        if (layer.Kind == LayerKind.Input)
        {
            // An input feature owns no parameters; removing it removes its column of the first weight
            // matrix: one weight and one multiply-add per alive unit of the next layer.
            var next = network.Layers[i + 1];
            parameters = next.Alive is { } nextAlive ? TensorPrimitives.Sum<float>(TensorMemory.Floats(nextAlive)) : next.Width;
            flops = parameters;
            norms = new double[layer.Width];
        }
        else
        {
            double inputs = previousAlive is null ? layer.InputGroups : TensorPrimitives.Sum<float>(previousAlive);
            parameters = inputs * (layer.InputBlock * layer.Kernel * layer.Kernel) + 1;
            flops = inputs * (layer.Kind == LayerKind.Convolution
                ? (double)layer.ConvOutputSize * layer.ConvOutputSize * layer.Kernel * layer.Kernel
                : layer.InputBlock);
            norms = GroupSquaredNorms(layer, previousAlive);
        }
        var fixedCost = parameters * (_costMultipliers[gatedIndex] * _parameters.ParameterCost)
                        + flops * (_flopMultipliers[gatedIndex] * _parameters.FlopCost / 1000.0);
        var scale = 1 / (2 * _parameters.Sigma1 * _parameters.Sigma1);
        var fixedPi = _parameters.FixedPriorPi;
        var theta = fixedPi is not null ? TensorMemory.Floats(layer.Theta!).ToArray() : null;
        var logitPi = fixedPi is { } pi ? Math.Log(pi / (1 - pi)) : 0;
        var result = new float[layer.Width];
        for (var g = 0; g < result.Length; g++)
        {
            var cost = norms[g] * scale + fixedCost;
            if (theta is not null)
            {
                // KL(Bernoulli(theta) || Bernoulli(PI)) per group: its derivative, finite at the vertices.
                var t = Math.Clamp(theta[g], LogitClamp, 1 - LogitClamp);
                cost += Math.Log(t / (1 - t)) - logitPi;
            }
            result[g] = (float)(cost / _examples);
        }
        return result;
    }

    // Squared norm of each group's incoming parameters (its row of weights and its bias), counting only
    // inputs from alive groups of the previous layer (each input group is a block of consecutive columns).
    private static double[] GroupSquaredNorms(GatedLayer layer, float[]? inputAlive)
    {
        using var weight = layer.Weight.detach();
        using var bias = layer.Bias.detach();
        var w = TensorMemory.Floats(weight);
        var b = TensorMemory.Floats(bias);
        var rows = layer.Width;
        var rowLength = w.Length / rows;
        // With every input group alive (no mask, or nothing pruned since the last compaction) a row is one sum.
        var wholeRows = inputAlive is null || Array.IndexOf(inputAlive, 0f) < 0;
        var block = inputAlive is null ? rowLength : rowLength / inputAlive.Length;
        var norms = new double[rows];
        for (var o = 0; o < rows; o++)
        {
            var row = w.Slice(o * rowLength, rowLength);
            double sum = b[o] * b[o];
            if (wholeRows)
            {
                sum += TensorPrimitives.SumOfSquares<float>(row);
            }
            else
            {
                for (var q = 0; q < inputAlive!.Length; q++)
                {
                    if (inputAlive[q] != 0)
                    {
                        sum += TensorPrimitives.SumOfSquares<float>(row.Slice(q * block, block));
                    }
                }
            }
            norms[o] = sum;
        }
        return norms;
    }
}
