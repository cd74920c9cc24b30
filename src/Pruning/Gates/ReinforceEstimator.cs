using Sweep.Options;
using Sweep.Pruning.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Sweep.Pruning.Gates;

/// <summary>
/// The unbiased score-function estimator `reinforce`: REINFORCE with two gate samples per example and
/// a leave-one-out baseline (each sample's baseline is the other's loss, same example):
/// D_g = 1/2 (L1 - L2) (s1_g - s2_g) with the score s_g = (xi_g - p_g) / (p_g (1 - p_g)).
/// Gates are sampled with p = theta clamped to [delta, 1 - delta] for alive groups, so the score
/// exists at theta in {0, 1}; it is unbiased for those sampling probabilities. The first sample is
/// the one the weights train on; the second costs one extra forward pass.
/// </summary>
internal sealed class ReinforceEstimator : IGateEstimator
{
    public const double Delta = 1e-3;

    public string Name => GateEstimatorKind.Reinforce.Name();

    public bool DifferentiatesGates => false;

    /// <summary>Gates drawn with the clamped probabilities, so that every gate's score exists.</summary>
    public Tensor?[] SampleGates(GatedNetwork network, long batch, Generator generator) => network.SampleGates(batch, generator, SamplingProbability);

    public GateEstimate Estimate(GateBatch batch) =>
        new(Estimate(batch.Network, batch.Input, batch.Labels, batch.Loss, batch.Gates, Losses.CrossEntropy, batch.Generator), []);

    /// <summary>The sampling probability of each group: clamp(theta, delta, 1 - delta) while alive, 0 once pruned.</summary>
    public static Tensor SamplingProbability(GatedLayer layer) =>
        layer.Theta!.clamp(Delta, 1 - Delta) * layer.Alive!;

    public static Tensor?[] Estimate(
        GatedNetwork network, Tensor input, Tensor labels, Tensor loss, IReadOnlyList<Tensor?> gates,
        PerExampleLoss lossFunction, Generator generator)
    {
        using var noGrad = no_grad();
        var second = network.SampleGates(labels.shape[0], generator, SamplingProbability);
        var secondLoss = lossFunction(network.Forward(input, second), labels);
        var half = ((loss - secondLoss) * 0.5).unsqueeze(1);
        var result = new Tensor?[network.Layers.Count];
        foreach (var l in network.GatedIndices)
        {
            var p = SamplingProbability(network.Layers[l]);
            var denominator = (p * (1 - p)).clamp_min(1e-12);
            var scoreDifference = (gates[l]! - second[l]!) / denominator;   // (xi1 - p) - (xi2 - p)
            result[l] = (half * scoreDifference).mean(new long[] { 0 });
        }
        return result;
    }
}
