using Sweep.Options;
using Sweep.Pruning.Gates;
using Sweep.Pruning.Training;
using TorchSharp;

namespace Sweep.Pruning.Tests.Gates;

public class GateEstimatorsTests
{
    [Fact]
    public void Each_estimator_name_gives_its_estimator_and_an_unknown_name_is_rejected()
    {
        Assert.IsType<ExactEstimator>(GateEstimators.Create("exact", 0));
        Assert.IsType<MultilinearEstimator>(GateEstimators.Create("multilinear", 0));
        Assert.IsType<ReinforceEstimator>(GateEstimators.Create("reinforce", 0));
        Assert.Equal(TrialOptionSchema.Estimator.Choices, GateEstimators.Names.Select(name => GateEstimators.Create(name, 0).Name));
        Assert.Equal([false, true, false], GateEstimators.Names.Select(name => GateEstimators.Create(name, 0).DifferentiatesGates));

        var error = Assert.Throws<ArgumentException>(() => GateEstimators.Create("disarm", 0));
        Assert.Contains("'disarm'", error.Message);
        Assert.Contains("exact, multilinear, reinforce", error.Message);
    }

    [Fact]
    public void Multilinear_gates_are_leaves_of_the_backward_pass_and_the_others_are_not()
    {
        using var network = TinyNetworks.FullyConnected(seed: 4);
        foreach (var name in GateEstimators.Names)
        {
            var estimator = GateEstimators.Create(name, 0);
            var gates = estimator.SampleGates(network, 6, new torch.Generator(9));
            foreach (var i in network.GatedIndices)
            {
                Assert.Equal(6, gates[i]!.shape[0]);
                Assert.Equal(estimator.DifferentiatesGates, gates[i]!.requires_grad);
            }
        }
    }

    [Fact]
    public void Objective_parameters_carry_the_trial_options()
    {
        var options = new TrialOptions
        {
            ParameterCost = 0.07, FlopCost = 1.5, Sigma1 = 0.2, PruneThreshold = 0.01, Prior = Prior.Fixed(0.3),
            CostMultipliers = [1, 2], FlopCostMultipliers = [3, 4],
        };
        var parameters = GateObjectiveParameters.From(options);
        Assert.Equal(new GateObjectiveParameters
        {
            ParameterCost = 0.07, FlopCost = 1.5, Sigma1 = 0.2, PruneThreshold = 0.01, FixedPriorPi = 0.3,
            CostMultipliers = options.CostMultipliers, FlopCostMultipliers = options.FlopCostMultipliers,
        }, parameters);
        Assert.Null(GateObjectiveParameters.From(new TrialOptions()).FixedPriorPi);
    }
}
