using Sweep.Pruning.Models;
using Sweep.Pruning.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Sweep.Pruning.Gates;

/// <summary>
/// The parts of dF/dtheta that do not come from the data, and the projected SGD step on theta:
/// dF/dtheta_g = D_g + (|w_g|^2 / (2 sigma1^2) + m_l c n_g + m'_l c_f f_g / 1000) / N
/// [+ (logit theta_g - logit PI) / N under a fixed prior], where n_g are the group's parameters and
/// f_g its multiply-adds per example, both counting only inputs from groups still alive.
/// </summary>
internal sealed class GateObjective
{
    private readonly TrainingOptions _options;
    private readonly double _examples;
    private readonly double[] _costMultipliers;
    private readonly double[] _flopMultipliers;

    public GateObjective(TrainingOptions options, int examples, int gatedLayers)
    {
        _options = options;
        _examples = examples;
        _costMultipliers = options.CostMultipliers.Count == gatedLayers ? options.CostMultipliers.ToArray() : Enumerable.Repeat(1.0, gatedLayers).ToArray();
        _flopMultipliers = options.FlopCostMultipliers.Count == gatedLayers ? options.FlopCostMultipliers.ToArray() : Enumerable.Repeat(1.0, gatedLayers).ToArray();
    }

    /// <summary>The data-independent part of dF/dtheta for layer <paramref name="i"/> (the <paramref name="gatedIndex"/>-th gated layer).</summary>
    public Tensor CostGradient(GatedNetwork network, int i, int gatedIndex)
    {
        var layer = network.Layers[i];
        var norms = layer.GroupSquaredNorms(network.InputMask(i)) / (2 * _options.Sigma1 * _options.Sigma1);
        Tensor parameters, flops;
        if (layer.Kind == LayerKind.Input)
        {
            // An input feature owns no parameters; removing it removes its column of the first weight
            // matrix: one weight and one multiply-add per alive unit of the next layer.
            parameters = network.Layers[i + 1].Alive is { } nextAlive ? nextAlive.sum() : tensor((float)network.Layers[i + 1].Width);
            flops = parameters;
        }
        else
        {
            var inputs = network.AliveInputGroups(i);
            parameters = inputs * (layer.InputBlock * layer.Kernel * layer.Kernel) + 1;
            flops = inputs * (layer.Kind == LayerKind.Convolution
                ? (double)layer.ConvOutputSize * layer.ConvOutputSize * layer.Kernel * layer.Kernel
                : layer.InputBlock);
        }
        var cost = norms
                   + parameters * (_costMultipliers[gatedIndex] * _options.ParameterCost)
                   + flops * (_flopMultipliers[gatedIndex] * _options.FlopCost / 1000.0);
        if (_options.HasFixedPrior)
        {
            // KL(Bernoulli(theta) || Bernoulli(PI)) per group: its derivative, finite at the vertices.
            var pi = _options.FixedPriorPi;
            cost = cost + (layer.Theta!.logit(1e-6) - Math.Log(pi / (1 - pi)));
        }
        return cost / _examples;
    }

    /// <summary>
    /// theta &lt;- clamp(theta - lr (D + cost), 0, 1) on alive groups (where <paramref name="updateMask"/> allows);
    /// groups at or below tau are pruned for good (alive = 0, theta = 0).
    /// </summary>
    public void Step(GatedNetwork network, IReadOnlyList<Tensor?> dataGradients, IReadOnlyList<Tensor?> updateMasks, double learningRate)
    {
        using var noGrad = no_grad();
        var gatedIndex = 0;
        foreach (var i in network.GatedIndices)
        {
            var layer = network.Layers[i];
            var gradient = dataGradients[i]! + CostGradient(network, i, gatedIndex++);
            if (updateMasks.Count > i && updateMasks[i] is { } mask)
            {
                gradient = gradient * mask;
            }
            var theta = layer.Theta!;
            var alive = layer.Alive!;
            theta.sub_(gradient * learningRate).clamp_(0.0, 1.0).mul_(alive);
            alive.mul_(theta.gt(_options.PruneThreshold).to_type(float32));
            theta.mul_(alive);
        }
    }
}
