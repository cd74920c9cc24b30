using Sweep.Pruning.Gates;
using TorchSharp;
using static TorchSharp.torch;

namespace Sweep.Pruning.Tests.Gates;

public class ReinforceEstimatorTests
{
    [Fact]
    public void Reinforce_mean_over_many_samples_approaches_the_exact_gradient()
    {
        using var scope = NewDisposeScope();
        using var network = TinyNetworks.FullyConnected(seed: 11);
        TinyNetworks.RandomThetas(network, seed: 12, low: 0.3, high: 0.7);
        var generator = new Generator(13);
        const int Examples = 4, Replicas = 25000;
        var inputs = randn(new long[] { Examples, 5 }, generator: generator) * 3;
        var labels = tensor(new long[] { 0, 1, 0, 1 });

        // Reference: the exact estimator's expectation, by enumeration of every configuration.
        var (configurations, probability) = TinyNetworks.AllConfigurations(network);
        var count = probability.Length;
        var rowsInput = inputs.repeat_interleave(count, dim: 0);
        var rowsLabels = labels.repeat_interleave(count, dim: 0);
        var rowsGates = configurations.Select(g => g?.repeat(Examples, 1)).ToArray();
        var logits = network.Forward(rowsInput, rowsGates, out var record);
        var rowsLoss = Losses.CrossEntropy(logits, rowsLabels).detach();
        var weights = tensor(probability.Select(p => (float)p).ToArray()).repeat(Examples).unsqueeze(1) / Examples;

        // Many samples: every example replicated, one REINFORCE estimate over all rows.
        var x = inputs.repeat(Replicas, 1);
        var y = labels.repeat(Replicas);
        var gates = network.SampleGates(x.shape[0], generator, ReinforceEstimator.SamplingProbability);
        var loss = Losses.CrossEntropy(network.Forward(x, gates), y).detach();
        var estimate = ReinforceEstimator.Estimate(network, x, y, loss, gates, Losses.CrossEntropy, generator);

        foreach (var i in network.GatedIndices)
        {
            var exact = (ExactEstimator.PerExample(network, i, record, rowsGates, rowsLabels, rowsLoss, Losses.CrossEntropy, null) * weights)
                .sum(new long[] { 0 }).data<float>().ToArray();
            var sampled = estimate[i]!.data<float>().ToArray();
            Assert.Contains(exact, v => Math.Abs(v) > 2e-2);
            for (var g = 0; g < exact.Length; g++)
            {
                Assert.True(Math.Abs(exact[g] - sampled[g]) < 0.1 * Math.Abs(exact[g]) + 1e-3,
                    $"layer {i} gate {g}: exact {exact[g]}, REINFORCE mean {sampled[g]}");
            }
        }
    }
}
