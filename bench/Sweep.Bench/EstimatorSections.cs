using System.Diagnostics;
using Sweep.Pruning.Gates;
using Sweep.Pruning.Models;
using static TorchSharp.torch;

namespace Sweep.Bench;

/// <summary>
/// Section `estimator`: the `exact` estimator's cost per gated layer of LeNet-5-Caffe at full width on one
/// generated batch of 100 (one thread), the phases of its convolution case (Stopwatch marks in a replica of
/// the tensor path), and the paths of the convolution case interleaved: the tensor path against the fused one.
/// </summary>
internal static class EstimatorSections
{
    private const int Batch = 100;

    public static void Run(Report report, BenchOptions o)
    {
        var threads = get_num_threads();
        set_num_threads(1);
        using var scope = NewDisposeScope();
        using var generator = new Generator(3);
        using var network = GatedNetwork.Create(Architectures.Layers("lenet5-caffe", 1.0, 10), 1, 28, "kaiming-uniform", generator, 0.9);
        var input = rand(new long[] { Batch, 1, 28, 28 }, generator: generator);
        var labels = randint(10, new long[] { Batch }, generator: generator);
        var gates = network.SampleGates(Batch, generator);
        Tensor loss;
        ForwardRecord record;
        using (no_grad())
        {
            var logits = network.Forward(input, gates, out record);
            loss = Losses.CrossEntropy(logits, labels);
        }
        Tensor Flips(int l, bool kernels) => ExactEstimator.PerExample(network, l, record, gates, labels, loss, Losses.CrossEntropy, null, allowKernel: kernels);

        // Per gated layer, the tensor path (no kernels) and the current one, interleaved.
        var layersGated = network.GatedIndices.ToArray();
        var tensorPath = layersGated.ToDictionary(l => l, _ => new List<double>());
        var currentPath = layersGated.ToDictionary(l => l, _ => new List<double>());
        for (var r = -2; r < Math.Max(o.Repeats, 5) * 2; r++)
        {
            foreach (var l in layersGated)
            {
                var t = Time(() => Flips(l, false));
                var c = Time(() => Flips(l, true));
                if (r >= 0)
                {
                    tensorPath[l].Add(t);
                    currentPath[l].Add(c);
                }
            }
        }
        foreach (var l in layersGated)
        {
            var name = network.Layers[l].Name;
            report.Add("estimator", $"{name} flips: tensor path", Summary.Of(tensorPath[l]), "ms/call", "LeNet-5-Caffe full width, batch 100, 1 thread");
            report.Add("estimator", $"{name} flips: current path", Summary.Of(currentPath[l]), "ms/call");
            report.Add("estimator", $"{name} flips: current / tensor (paired)", Summary.Of(currentPath[l].Zip(tensorPath[l], (a, b) => a / b)), "x", "interleaved, same process");
        }
        var rounds = tensorPath[layersGated[0]].Count;
        double Total(Dictionary<int, List<double>> path, int r) => layersGated.Sum(l => path[l][r]);
        report.Add("estimator", "all layers: current / tensor (paired)", Summary.Of(Enumerable.Range(0, rounds).Select(r => Total(currentPath, r) / Total(tensorPath, r))), "x", "interleaved, same process");
        Phases(report, o, network, record, gates, labels);
        set_num_threads(threads);
    }

    // The tensor path of conv1's flips, phase by phase (one chunk of the whole batch): where its time goes.
    private static void Phases(Report report, BenchOptions o, GatedNetwork network, ForwardRecord record, Tensor?[] gates, Tensor labels)
    {
        string[] names = ["grouped convolution (the flips' change of conv2)", "add conv2's output", "max-pool", "relu, conv2 gates",
            "fc1 (800 -> 500)", "relu, fc1 gates, fc2", "cross-entropy"];
        var totals = new double[names.Length];
        var runs = Math.Max(o.Repeats, 5) * 2;
        using var noGrad = no_grad();
        var conv2 = network.Layers[1];
        var groups = network.Layers[0].Width;
        for (var r = 0; r < runs + 2; r++)
        {
            using var scope = NewDisposeScope();
            var marks = new double[names.Length];
            var clock = Stopwatch.StartNew();
            void Mark(int phase)
            {
                marks[phase] = clock.Elapsed.TotalMilliseconds;
                clock.Restart();
            }
            var signed = GatedLayer.ApplyGates(record.Activations[0], 1 - 2 * gates[0]!);
            clock.Restart();
            var weight = conv2.Weight.detach();
            var kernels = weight.transpose(0, 1).reshape(groups * weight.shape[0], 1, weight.shape[2], weight.shape[3]);
            var delta = nn.functional.conv2d(signed, kernels, groups: groups);
            Mark(0);
            var flipped = record.Linear[1].unsqueeze(1) + delta.view(Batch, groups, weight.shape[0], delta.shape[2], delta.shape[3]);
            var rows = flipped.reshape(Batch * groups, weight.shape[0], delta.shape[2], delta.shape[3]);
            Mark(1);
            var pooled = conv2.Post(rows);
            Mark(2);
            var h = nn.functional.relu(pooled) * gates[1]!.repeat_interleave(groups, dim: 0).view(Batch * groups, -1, 1, 1);
            Mark(3);
            var fc1 = network.Layers[2].Linear(h);
            Mark(4);
            var logits = network.Layers[3].Linear(nn.functional.relu(fc1) * gates[2]!.repeat_interleave(groups, dim: 0));
            Mark(5);
            _ = Losses.CrossEntropy(logits, labels.repeat_interleave(groups, dim: 0));
            Mark(6);
            if (r >= 2)
            {
                for (var k = 0; k < names.Length; k++)
                {
                    totals[k] += marks[k];
                }
            }
        }
        var sum = totals.Sum();
        for (var k = 0; k < names.Length; k++)
        {
            report.Add("estimator", $"conv1 flips, tensor path: {names[k]}", totals[k] / sum, "of total", "share of the phases' sum; Stopwatch marks");
        }
    }

    private static double Time(Func<Tensor> action)
    {
        using var scope = NewDisposeScope();
        var clock = Stopwatch.StartNew();
        action();
        return clock.Elapsed.TotalMilliseconds;
    }
}
