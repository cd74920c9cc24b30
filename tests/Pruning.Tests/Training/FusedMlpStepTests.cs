using Sweep.Options;
using Sweep.Pruning.Gates;
using Sweep.Pruning.Models;
using Sweep.Pruning.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Sweep.Pruning.Tests.Training;

/// <summary>The fused fully connected step against the autograd path and against float64.</summary>
public class FusedMlpStepTests
{
    private const int Batch = 24;

    [Theory]
    [InlineData(40, 13, 10, 36, false)]
    [InlineData(40, 13, 10, 36, true)]
    [InlineData(17, 5, 10, 36, false)]
    [InlineData(1, 3, 3, 7, false)]
    public void Loss_gradients_and_gate_estimates_match_autograd_and_float64(int hidden1, int hidden2, int classes, int features, bool compacted)
    {
        using var scope = NewDisposeScope();
        using var network = Mlp(hidden1, hidden2, classes, features, seed: 3);
        using var fused = new FusedMlpStep();
        if (compacted)
        {
            // A step at the starting widths first, so the step's buffers and weight views must follow the compaction.
            fused.Compute(network, rand(new long[] { Batch, features }), randint(classes, new long[] { Batch }), new Generator(1));
            Sweep.Pruning.Tests.Models.CompactionTests.Prune(network, 0, 0, 5, 6, 11, 12, 19, 39);
            Sweep.Pruning.Tests.Models.CompactionTests.Prune(network, 1, 1, 4, 8, 12);
            network.Compact();
            Assert.Equal(new[] { 33, 9 }, network.PhysicalWidths());
        }
        TinyNetworks.RandomThetas(network, seed: 4);
        var input = rand(new long[] { Batch, features }, generator: new Generator(5));
        var labels = randint(classes, new long[] { Batch }, generator: new Generator(6));
        Assert.True(FusedMlpStep.Applies(network, new ExactEstimator(0)));

        var step = fused.Compute(network, input, labels, new Generator(7));

        // Autograd path: the same generator state draws the same gates.
        var gates = network.SampleGates(Batch, new Generator(7));
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(gates[i]!.data<float>().ToArray(), fused.LastGates[i]!.data<float>().ToArray());
        }
        var logits = network.Forward(input, gates, out var record);
        var perExample = Losses.CrossEntropy(logits, labels);
        var gradients = autograd.grad([perExample.mean()], network.Parameters.ToList());
        var estimate = ExactEstimator.Estimate(network, record, gates, labels, perExample.detach(), Losses.CrossEntropy, 0, new Generator(8), out _);
        AssertClose(perExample.sum().to_type(float64), step.LossSum, 1e-5, "loss sum");
        for (var p = 0; p < gradients.Count; p++)
        {
            AssertClose(gradients[p], step.Gradients[p], 1e-5, $"gradient {p}");
        }
        for (var l = 0; l < 2; l++)
        {
            AssertClose(estimate[l]!, step.Estimate.DataGradients[l]!, 1e-5, $"estimate of layer {l}");
        }

        // Float64: autograd in double, and D from flipping each gate in turn.
        var (lossSum64, gradients64, estimates64) = Float64Reference(network, input, labels, gates);
        Assert.True(Math.Abs(lossSum64 - step.LossSum.item<double>()) < 1e-4 * Math.Max(1, Math.Abs(lossSum64)), $"loss sum: float64 {lossSum64}, fused {step.LossSum.item<double>()}");
        for (var p = 0; p < gradients64.Length; p++)
        {
            AssertClose(gradients64[p], step.Gradients[p], 1e-4, $"float64 gradient {p}");
        }
        for (var l = 0; l < 2; l++)
        {
            AssertClose(estimates64[l], step.Estimate.DataGradients[l]!, 1e-4, $"float64 estimate of layer {l}");
        }
    }

    [Theory]
    [InlineData(7)]
    [InlineData(Batch)]
    public void Gate_estimates_on_the_first_examples_match_the_exact_estimator_on_the_autograd_path(int examples)
    {
        using var scope = NewDisposeScope();
        using var network = Mlp(40, 13, 10, 36, seed: 9);
        TinyNetworks.RandomThetas(network, seed: 10);
        var input = rand(new long[] { Batch, 36 }, generator: new Generator(11));
        var labels = randint(10, new long[] { Batch }, generator: new Generator(12));
        var estimator = new ExactEstimator(0, examples);
        Assert.True(FusedMlpStep.Applies(network, estimator));
        using var fused = new FusedMlpStep(estimator);

        var step = fused.Compute(network, input, labels, new Generator(13));

        var gates = network.SampleGates(Batch, new Generator(13));
        var logits = network.Forward(input, gates, out var record);
        var loss = Losses.CrossEntropy(logits, labels).detach();
        var expected = estimator.Estimate(new GateBatch(network, input, labels, gates, record, loss, new Tensor?[3], new Generator(14)));
        var whole = ExactEstimator.Estimate(network, record, gates, labels, loss, Losses.CrossEntropy, 0, new Generator(14), out _);
        for (var l = 0; l < 2; l++)
        {
            AssertClose(expected.DataGradients[l]!, step.Estimate.DataGradients[l]!, 1e-5, $"estimate of layer {l}");
            Assert.Equal(examples == Batch, whole[l]!.allclose(step.Estimate.DataGradients[l]!, rtol: 1e-5, atol: 1e-6));
        }
        // The weights' gradients still use the whole batch.
        var gradients = autograd.grad([Losses.CrossEntropy(network.Forward(input, gates), labels).mean()], network.Parameters.ToList());
        AssertClose(gradients[0], step.Gradients[0], 1e-5, "gradient of the first weight");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(9)]
    public void A_training_step_updates_every_parameter_and_gate_as_the_autograd_path_does_also_after_compaction_to_odd_widths(int exactExamples)
    {
        using var scope = NewDisposeScope();
        var data = SyntheticData.Prototypes(train: 96, test: 8, size: 5, classes: 10, seed: 12);
        var options = new TrialOptions
        {
            Width = 0.1, Seed = 5, BatchSize = Batch, LearningRate = 0.01, ThetaLearningRate = 0.5, ParameterCost = 0.001, Sigma1 = 1,
            ExactExamples = exactExamples,
        };
        using var fused = new TrainingSession(options, data, null, default);
        using var reference = new TrainingSession(options, data, null, default, fusedStep: false);
        Assert.True(fused.UsesFusedStep);
        Assert.False(reference.UsesFusedStep);
        var (images, labels, _, _) = data.Tensors;
        foreach (var session in new[] { fused, reference })
        {
            TinyNetworks.RandomThetas(session.Network, seed: 13, low: 0.3, high: 0.9);
        }
        for (var s = 0; s < 6; s++)
        {
            if (s == 3)
            {
                foreach (var session in new[] { fused, reference })
                {
                    Sweep.Pruning.Tests.Models.CompactionTests.Prune(session.Network, 0, 0, 3, 4, 10, 29);
                    Sweep.Pruning.Tests.Models.CompactionTests.Prune(session.Network, 1, 2, 7);
                    session.Compact();
                    Assert.Equal(new[] { 25, 8 }, session.Network.PhysicalWidths());
                }
            }
            var x = images.narrow(0, s % 4 * Batch, Batch);
            var y = labels.narrow(0, s % 4 * Batch, Batch);
            fused.TrainStep(x, y);
            reference.TrainStep(x, y);
            fused.AdvanceStep();
            reference.AdvanceStep();
            for (var p = 0; p < reference.Network.Parameters.Count; p++)
            {
                AssertClose(reference.Network.Parameters[p], fused.Network.Parameters[p], 2e-5, $"step {s}, parameter {p}");
                AssertClose(reference.Optimizer.First[p], fused.Optimizer.First[p], 2e-5, $"step {s}, first moment {p}");
                AssertClose(reference.Optimizer.Second[p], fused.Optimizer.Second[p], 2e-5, $"step {s}, second moment {p}");
            }
            foreach (var i in reference.Network.GatedIndices)
            {
                AssertClose(reference.Network.Layers[i].Theta!, fused.Network.Layers[i].Theta!, 2e-5, $"step {s}, theta of layer {i}");
            }
        }
    }

    [Fact]
    public void A_short_training_run_gives_the_same_result_down_both_paths()
    {
        var data = SyntheticData.Prototypes(train: 400, test: 100, size: 6, classes: 10, seed: 21);
        var options = new TrialOptions { Width = 0.1, Seed = 9, Epochs = 4, BatchSize = 20, LearningRate = 0.005, ThetaLearningRate = 4, ParameterCost = 0.05, Sigma1 = 1, CompactEvery = 10 };
        TrainingResult Run(bool fusedStep)
        {
            using var session = new TrainingSession(options, data, null, default, fusedStep);
            Assert.Equal(fusedStep, session.UsesFusedStep);
            return session.Run(null);
        }
        var fused = Run(true);
        var reference = Run(false);
        Assert.True(reference.FinalWidths[0] < 30, $"the run prunes, so the comparison covers compaction: {string.Join("-", reference.FinalWidths)}");
        Assert.Equal(reference.EpochWidths, fused.EpochWidths);
        Assert.Equal(reference.TestError, fused.TestError);
        for (var e = 0; e < reference.Epochs.Count; e++)
        {
            Assert.True(Math.Abs(reference.Epochs[e].TrainLoss - fused.Epochs[e].TrainLoss) < 1e-4, $"epoch {e + 1}: loss {reference.Epochs[e].TrainLoss} against {fused.Epochs[e].TrainLoss}");
        }
    }

    [Fact]
    public void Other_estimators_and_architectures_keep_the_autograd_path()
    {
        var data = SyntheticData.Prototypes(train: 40, test: 8, size: 28, classes: 10, seed: 2);
        bool Fused(TrialOptions options)
        {
            using var session = new TrainingSession(options, data, null, default);
            return session.UsesFusedStep;
        }
        Assert.True(Fused(new TrialOptions { Width = 0.05 }));
        Assert.False(Fused(new TrialOptions { Width = 0.05, Estimator = GateEstimatorKind.Multilinear }));
        Assert.False(Fused(new TrialOptions { Width = 0.05, ExactMaxGroups = 3 }));
        Assert.False(Fused(new TrialOptions { Width = 0.05, InputGates = true }));
        Assert.False(Fused(new TrialOptions { Width = 0.1, Architecture = NetworkArchitecture.LeNet5Caffe }));
    }

    private static GatedNetwork Mlp(int hidden1, int hidden2, int classes, int features, int seed) =>
        GatedNetwork.Create(
            [
                new LayerSpec("fc1", LayerKind.FullyConnected, hidden1),
                new LayerSpec("fc2", LayerKind.FullyConnected, hidden2),
                new LayerSpec("fc3", LayerKind.FullyConnected, classes),
            ],
            inputChannels: features, inputSize: 1, "kaiming-uniform", new Generator((ulong)seed), theta0: 1.0);

    // Loss sum, parameter gradients of the mean loss, and D per gated layer, all in float64 for the given gates.
    private static (double LossSum, Tensor[] Gradients, Tensor[] Estimates) Float64Reference(GatedNetwork network, Tensor input, Tensor labels, IReadOnlyList<Tensor?> gates)
    {
        var weights = network.Parameters.Select(p => p.detach().to_type(float64).requires_grad_(true)).ToArray();
        var x = input.to_type(float64);
        var xi = gates.Take(2).Select(g => g!.to_type(float64)).ToArray();
        Tensor Losses64(Tensor[] w, Tensor xi1, Tensor xi2)
        {
            var h1 = nn.functional.linear(x, w[0], w[1]).relu() * xi1;
            var h2 = nn.functional.linear(h1, w[2], w[3]).relu() * xi2;
            return Losses.CrossEntropy(nn.functional.linear(h2, w[4], w[5]), labels);
        }
        var perExample = Losses64(weights, xi[0], xi[1]);
        var gradients = autograd.grad([perExample.mean()], weights).ToArray();
        var estimates = new Tensor[2];
        using (no_grad())
        {
            for (var l = 0; l < 2; l++)
            {
                var width = (int)xi[l].shape[1];
                var d = new double[width];
                for (var g = 0; g < width; g++)
                {
                    var on = xi[l].clone();
                    on.select(1, g).fill_(1.0);
                    var off = xi[l].clone();
                    off.select(1, g).fill_(0.0);
                    var lossOn = l == 0 ? Losses64(weights, on, xi[1]) : Losses64(weights, xi[0], on);
                    var lossOff = l == 0 ? Losses64(weights, off, xi[1]) : Losses64(weights, xi[0], off);
                    d[g] = (lossOn - lossOff).mean().item<double>();
                }
                estimates[l] = tensor(d);
            }
        }
        return (perExample.sum().item<double>(), gradients, estimates);
    }

    private static void AssertClose(Tensor expected, Tensor actual, double tolerance, string what)
    {
        var e = expected.detach().to_type(float64).flatten();
        var a = actual.detach().to_type(float64).flatten();
        Assert.Equal(e.shape, a.shape);
        var scale = Math.Max(1.0, e.abs().max().item<double>());
        var worst = (e - a).abs().max().item<double>();
        Assert.True(worst <= tolerance * scale, $"{what}: largest difference {worst:G3} (scale {scale:G3}, tolerance {tolerance:G3})");
    }
}
