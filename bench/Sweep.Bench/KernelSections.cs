using System.Diagnostics;
using Sweep.Pruning.Gates;
using Sweep.Pruning.Models;
using Sweep.Pruning.Training;
using static TorchSharp.torch;

namespace Sweep.Bench;

/// <summary>
/// Section `kernels`: the pieces a gated LeNet-300-100 step is made of, timed alone at batch 100 and
/// one thread, so a change to one of them can be measured without a whole epoch's noise.
/// </summary>
internal static class KernelSections
{
    private const int Batch = 100;
    private const int CallsPerSample = 20;

    public static void Run(Report report, BenchOptions o)
    {
        var threads = get_num_threads();
        set_num_threads(1);
        using var scope = NewDisposeScope();
        var g = new Generator(1);
        FlipKernel(report, o, g, hidden: 100, groups: 300, "flip-loss kernel, fc1 flips at 300-100");
        FlipKernel(report, o, g, hidden: 25, groups: 75, "flip-loss kernel, fc1 flips at 75-25");
        // A study trial's shapes (its start at width 2, and where it ends), with half the first layer's units off per example, as after a ReLU.
        FlipKernel(report, o, g, hidden: 200, groups: 600, "flip-loss kernel, fc1 flips at 600-200, half the units off", offFraction: 0.5);
        FlipKernel(report, o, g, hidden: 95, groups: 60, "flip-loss kernel, fc1 flips at 60-95, half the units off", offFraction: 0.5);
        OutputKernel(report, o, g);
        DenseStep(report, o, g);
        GatedStep(report, o, g, 300, 100);
        GatedStep(report, o, g, 75, 25);
        OperationCost(report, o);
        set_num_threads(threads);
    }

    // The exact estimator's costliest fully connected case: B x G flips of the first layer through the second and the output layer.
    private static void FlipKernel(Report report, BenchOptions o, Generator g, int hidden, int groups, string name, double offFraction = 0)
    {
        var signed = randn(new long[] { Batch, groups }, generator: g) * rand(new long[] { Batch, groups }, generator: g).ge(offFraction);
        var weight = randn(new long[] { hidden, groups }, generator: g);
        var linear = randn(new long[] { Batch, hidden }, generator: g);
        var gates = ones(Batch, hidden);
        var outWeight = randn(new long[] { 10, hidden }, generator: g);
        var outBias = randn(10, generator: g);
        var labels = randint(10, new long[] { Batch }, generator: g);
        report.Add("kernels", name, Milliseconds(o, () => FlipLossKernel.FlippedLoss(signed, linear, weight, gates, outWeight, outBias, labels)), "ms/call",
            $"{(double)Batch * groups * hidden * 10 / 1e6:F1} M multiply-adds");
    }

    // The last hidden layer's flips, straight into the logits.
    private static void OutputKernel(Report report, BenchOptions o, Generator g)
    {
        var signed = randn(new long[] { Batch, 100 }, generator: g);
        var linear = randn(new long[] { Batch, 10 }, generator: g);
        var weight = randn(new long[] { 10, 100 }, generator: g);
        var labels = randint(10, new long[] { Batch }, generator: g);
        report.Add("kernels", "flip-loss kernel, fc2 flips into the logits at 100", Milliseconds(o, () => FlipLossKernel.FlippedLossAtOutput(signed, linear, weight, labels)), "ms/call");
    }

    // Forward and backward of the dense 784-300-100-10 network on one batch: the reference a gated step is compared with.
    private static void DenseStep(Report report, BenchOptions o, Generator g)
    {
        var x = randn(new long[] { Batch, 784 }, generator: g);
        var labels = randint(10, new long[] { Batch }, generator: g);
        var w1 = randn(new long[] { 300, 784 }, generator: g).mul_(0.05).requires_grad_();
        var w2 = randn(new long[] { 100, 300 }, generator: g).mul_(0.05).requires_grad_();
        var w3 = randn(new long[] { 10, 100 }, generator: g).mul_(0.1).requires_grad_();
        report.Add("kernels", "dense forward+backward 784-300-100-10", Milliseconds(o, () =>
        {
            var h = nn.functional.relu(nn.functional.linear(x, w1));
            h = nn.functional.relu(nn.functional.linear(h, w2));
            var loss = nn.functional.cross_entropy(nn.functional.linear(h, w3), labels);
            autograd.grad([loss], [w1, w2, w3]);
        }), "ms/step");
    }

    // A gated step's forward, backward and exact estimate (no updates), fused and on the autograd path, samples interleaved.
    private static void GatedStep(Report report, BenchOptions o, Generator g, int hidden1, int hidden2)
    {
        using var network = GatedNetwork.Create(
            [new LayerSpec("fc1", LayerKind.FullyConnected, hidden1), new LayerSpec("fc2", LayerKind.FullyConnected, hidden2), new LayerSpec("fc3", LayerKind.FullyConnected, 10)],
            784, 1, "kaiming-uniform", g, theta0: 0.9);
        var x = rand(new long[] { Batch, 784 }, generator: g);
        var labels = randint(10, new long[] { Batch }, generator: g);
        using var fused = new FusedMlpStep();
        var stepGenerator = new Generator(2);
        void Fused() => fused.Compute(network, x, labels, stepGenerator);
        void Autograd()
        {
            var gates = network.SampleGates(Batch, stepGenerator);
            var logits = network.Forward(x, gates, out var record);
            var perExample = Losses.CrossEntropy(logits, labels);
            autograd.grad([perExample.mean()], network.Parameters.ToList());
            ExactEstimator.Estimate(network, record, gates, labels, perExample.detach(), Losses.CrossEntropy, 0, stepGenerator, out _);
        }
        var fusedMs = new List<double>();
        var autogradMs = new List<double>();
        for (var r = 0; r < o.Repeats; r++)
        {
            fusedMs.AddRange(Samples(o with { Repeats = 1 }, Fused));
            autogradMs.AddRange(Samples(o with { Repeats = 1 }, Autograd));
        }
        report.Add("kernels", $"gated step (forward, backward, exact), fused, at {hidden1}-{hidden2}", Summary.Of(fusedMs), "ms/step");
        report.Add("kernels", $"gated step (forward, backward, exact), autograd path, at {hidden1}-{hidden2}", Summary.Of(autogradMs), "ms/step");
        report.Add("kernels", $"fused / autograd path at {hidden1}-{hidden2} (paired)", Summary.Of(fusedMs.Zip(autogradMs, (f, a) => f / a)), "x");
    }

    // The fixed cost of one TorchSharp operation on a tiny tensor, which dominates steps of small (pruned) networks.
    private static void OperationCost(Report report, BenchOptions o)
    {
        const int Operations = 50;
        var a = randn(100);
        var b = randn(100);
        report.Add("kernels", "a + b on [100] in a dispose scope", Summary.Of(Samples(o, () =>
        {
            for (var k = 0; k < Operations; k++)
            {
                _ = a + b;
            }
        }).Select(ms => ms * 1000 / Operations)), "us/op");
        report.Add("kernels", "a.add_(b) on [100], in place", Summary.Of(Samples(o, () =>
        {
            for (var k = 0; k < Operations; k++)
            {
                a.add_(b);
            }
        }).Select(ms => ms * 1000 / Operations)), "us/op");
    }

    private static Summary Milliseconds(BenchOptions o, Action action) => Summary.Of(Samples(o, action));

    // Milliseconds per call: three warm-up calls, then --repeats samples of the mean of 20 calls, each call in its own dispose scope.
    private static List<double> Samples(BenchOptions o, Action action)
    {
        for (var i = 0; i < 3; i++)
        {
            using var warm = NewDisposeScope();
            action();
        }
        var samples = new List<double>();
        for (var r = 0; r < o.Repeats; r++)
        {
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < CallsPerSample; i++)
            {
                using var call = NewDisposeScope();
                action();
            }
            samples.Add(clock.Elapsed.TotalMilliseconds / CallsPerSample);
        }
        return samples;
    }
}
