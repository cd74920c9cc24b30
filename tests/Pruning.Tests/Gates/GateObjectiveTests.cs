using Sweep.Options;
using Sweep.Pruning.Gates;
using Sweep.Pruning.Models;
using Sweep.Pruning.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Sweep.Pruning.Tests.Gates;

public class GateObjectiveTests
{
    [Fact]
    public void Cost_gradient_counts_weight_norm_parameters_and_flops_of_alive_inputs()
    {
        using var scope = NewDisposeScope();
        using var network = TinyNetworks.FullyConnected(seed: 1);   // 5 - 3 - 3 - 2
        CompactionTestsAccess.Prune(network, 0, 1);                  // fc2 now has 2 alive inputs of 3
        var options = new TrialOptions { ParameterCost = 0.5, FlopCost = 2.0, Sigma1 = 0.5, CostMultipliers = [1, 3] };
        var objective = new GateObjective(GateObjectiveParameters.From(options), examples: 10, gatedLayers: 2);
        var layer = network.Layers[1];
        var w = layer.Weight.detach().data<float>().ToArray();
        var b = layer.Bias.detach().data<float>().ToArray();
        var gradient = objective.CostGradient(network, 1, 1).data<float>().ToArray();
        for (var g = 0; g < 3; g++)
        {
            // Inputs 0 and 2 are alive (input 1 was pruned): its weight does not count.
            var norm = w[g * 3] * w[g * 3] + w[g * 3 + 2] * w[g * 3 + 2] + b[g] * b[g];
            var expected = (norm / (2 * 0.25) + 3 * 0.5 * (2 + 1) + 2.0 * 2 / 1000.0) / 10;
            Assert.Equal(expected, gradient[g], 5);
        }
    }

    [Fact]
    public void Convolution_flop_cost_counts_output_positions()
    {
        using var scope = NewDisposeScope();
        using var network = GatedNetwork.Create(Architectures.Layers("lenet5-caffe", 1.0, 10), 1, 28, "kaiming-uniform", new Generator(1), 1.0);
        using var noGrad = no_grad();
        network.Layers[0].Weight.zero_();
        network.Layers[0].Bias.zero_();
        var options = new TrialOptions { Architecture = NetworkArchitecture.LeNet5Caffe, ParameterCost = 0, FlopCost = 1.0 };
        var objective = new GateObjective(GateObjectiveParameters.From(options), examples: 1, gatedLayers: 3);
        // A conv1 filter: 24 x 24 positions x 25 multiply-adds = 14,400, at 1.0 per thousand.
        Assert.Equal(14.4, objective.CostGradient(network, 0, 0).data<float>()[0], 3);
    }

    [Fact]
    public void Fixed_prior_pulls_theta_toward_pi_and_flattening_does_not()
    {
        using var scope = NewDisposeScope();
        using var network = TinyNetworks.FullyConnected(seed: 2);
        using (no_grad())
        {
            network.Layers[0].Theta!.copy_(tensor(new[] { 0.9f, 0.5f, 0.1f }));
        }
        var flat = new GateObjective(GateObjectiveParameters.From(new TrialOptions { ParameterCost = 0, Sigma1 = 1e6 }), 1, 2).CostGradient(network, 0, 0).data<float>().ToArray();
        var fixedPrior = new GateObjective(GateObjectiveParameters.From(new TrialOptions { ParameterCost = 0, Sigma1 = 1e6, Prior = Prior.Fixed(0.5) }), 1, 2).CostGradient(network, 0, 0).data<float>().ToArray();
        Assert.All(flat, v => Assert.True(Math.Abs(v) < 1e-6));
        Assert.Equal(Math.Log(9), fixedPrior[0], 4);    // logit(0.9) - logit(0.5): pushes theta down
        Assert.Equal(0, fixedPrior[1], 5);
        Assert.Equal(-Math.Log(9), fixedPrior[2], 4);   // pushes theta up
    }

    [Fact]
    public void Step_is_the_projected_gradient_step_and_prunes_at_the_threshold()
    {
        using var scope = NewDisposeScope();
        using var network = TinyNetworks.FullyConnected(seed: 3);   // 5 - 3 - 3 - 2
        using (no_grad())
        {
            network.Layers[0].Theta!.copy_(tensor(new[] { 0.5f, 0.02f, 0.97f }));
            network.Layers[1].Theta!.copy_(tensor(new[] { 0.3f, 0.6f, 0.9f }));
        }
        CompactionTestsAccess.Prune(network, 1, 1);                  // fc2 group 1 already pruned (alive 0, theta 0)
        var options = new TrialOptions { ParameterCost = 0.01, Sigma1 = 1, PruneThreshold = 0.01 };
        var objective = new GateObjective(GateObjectiveParameters.From(options), examples: 100, gatedLayers: 2);
        var fc1Cost = objective.CostGradient(network, 0, 0).data<float>().ToArray();
        var data = new Tensor?[] { tensor(new[] { -0.2f, 0.05f, -0.9f }), tensor(new[] { 0.1f, 0.4f, -0.1f }), null };
        var masks = new Tensor?[] { null, tensor(new[] { 1f, 1f, 0f }), null };   // fc2 group 2 not evaluated this step

        objective.Step(network, data, masks, learningRate: 0.5);
        // Layers step in order, so fc2's cost already counts fc1's group 1 as gone (one input fewer).
        var fc2Cost = objective.CostGradient(network, 1, 1).data<float>().ToArray();

        var fc1 = network.Layers[0].Theta!.data<float>().ToArray();
        Assert.Equal(Math.Clamp(0.5 - 0.5 * (-0.2 + fc1Cost[0]), 0, 1), fc1[0], 5);
        Assert.Equal(0f, fc1[1]);                                     // 0.02 - 0.5 * (0.05 + cost) <= 0.01: pruned
        Assert.Equal(0f, network.Layers[0].Alive!.data<float>()[1]);
        Assert.Equal(1f, fc1[2]);                                     // projected onto 1
        var fc2 = network.Layers[1].Theta!.data<float>().ToArray();
        Assert.Equal(Math.Clamp(0.3 - 0.5 * (0.1 + fc2Cost[0]), 0, 1), fc2[0], 5);
        Assert.Equal(0f, fc2[1]);                                     // pruned groups stay at 0 whatever their gradient
        Assert.Equal(0.9f, fc2[2]);                                   // masked: unchanged
    }
}

/// <summary>Shared helpers of the compaction tests.</summary>
internal static class CompactionTestsAccess
{
    public static void Prune(GatedNetwork network, int layerIndex, params long[] groups) =>
        Sweep.Pruning.Tests.Models.CompactionTests.Prune(network, layerIndex, groups);
}
