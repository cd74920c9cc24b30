using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Sweep.Options;
using Sweep.Pruning.Models;
using Sweep.Pruning.Training;
using static TorchSharp.torch;

namespace Sweep.Bench;

/// <summary>
/// Section `trial`: one study trial per architecture (LeNet-300-100 with the default options, 40 epochs;
/// LeNet-5-Caffe with examples/lenet5-study.yaml's options, 20 epochs), each in a child process with one
/// thread, against the FLOP limit at the sgemm rate measured in the same run; then the same trial twice at
/// once (one per core) against alone; then the PyTorch peer's dense epoch next to Sweep's dense loop.
/// </summary>
internal static class TrialSection
{
    public static readonly string[] Architectures = ["lenet300-100", "lenet5-caffe"];

    public static void Run(Report report, BenchOptions o, TrainingData data, double sgemm)
    {
        var plan = TrialPlan.From(o);
        if (plan.Shortened)
        {
            Console.WriteLine($"trial: SHORTENED ({plan.Describe()}): not a study trial's figures.");
        }
        var pairs = new Dictionary<string, object>();
        foreach (var arch in plan.Architectures)
        {
            var note = plan.Note(arch);
            var alone = RunTrials(o, plan, arch, 1)[0];
            // A failed trial has no metrics: its rows read n/a, its note says why.
            var wall = Wall(alone);
            var trainFlops = 2 * ChildSections.Number(alone, "train_flops");
            var estimatorFlops = 2 * ChildSections.Number(alone, "estimator_macs");
            var limit = trainFlops / (sgemm * 1e9);
            var limitWithEstimator = (trainFlops + estimatorFlops) / (sgemm * 1e9);
            report.Add("trial", $"{arch}: trial wall", wall, "s", note + "; " + alone.GetProperty("outcome").GetString());
            report.Add("trial", $"{arch}: training FLOPs (train_flops x 2)", trainFlops / 1e12, "TFLOP", "estimator excluded");
            report.Add("trial", $"{arch}: estimator FLOPs (counted)", estimatorFlops / 1e12, "TFLOP", "exact estimator, from the widths every compact-every steps");
            report.Add("trial", $"{arch}: FLOP limit at the sgemm rate", limit, "s", string.Create(CultureInfo.InvariantCulture, $"sgemm {sgemm:F1} GFLOP/s, this run"));
            report.Add("trial", $"{arch}: wall / FLOP limit", wall / limit, "x", arch == "lenet5-caffe" ? "" : "target <= 2.5");
            report.Add("trial", $"{arch}: FLOP limit, estimator included", limitWithEstimator, "s");
            report.Add("trial", $"{arch}: wall / FLOP limit, estimator included", wall / limitWithEstimator, "x", arch == "lenet5-caffe" ? "target <= 3" : "");
            report.Add("trial", $"{arch}: study trials per hour per core", 3600 / wall, "trials/h", "one trial alone, one thread");
            // The sgemm rate moves by up to a quarter within an hour here: measured again right after the trial, the mean of
            // the two medians is a fairer denominator than the rate at the run's start alone.
            var after = Summary.Of(TrainingSections.RooflineSamples(o));
            var meanRate = (sgemm + after.Median) / 2;
            report.Add("trial", $"{arch}: sgemm rate right after the trial", after, "GFLOP/s", "one thread");
            report.Add("trial", $"{arch}: wall / FLOP limit at the mean sgemm rate before and after", wall / (trainFlops / (meanRate * 1e9)), "x",
                string.Create(CultureInfo.InvariantCulture, $"{meanRate:F1} GFLOP/s{(arch == "lenet5-caffe" ? "" : "; target <= 2.5")}"));
            report.Add("trial", $"{arch}: wall / FLOP limit, estimator included, at the mean sgemm rate", wall / ((trainFlops + estimatorFlops) / (meanRate * 1e9)), "x",
                arch == "lenet5-caffe" ? "target <= 3" : "");
            report.Details[$"trial_{arch}"] = alone.GetRawText();
            if (plan.Pair)
            {
                var two = RunTrials(o, plan, arch, 2);
                var speeds = two.Select(t => wall / Wall(t)).ToArray();
                for (var k = 0; k < speeds.Length; k++)
                {
                    report.Add("trial", $"{arch}: side by side, trial {k + 1} speed / alone", speeds[k], "", "two trials at once, one thread each; target >= 0.85");
                }
                report.Add("trial", $"{arch}: side by side, study trials per hour per core", Summary.Of(two.Select(t => 3600 / Wall(t))), "trials/h");
                pairs[arch] = two.Select(t => t.GetRawText()).ToArray();
            }
        }
        report.Details["trial_pairs"] = pairs;
        report.Details["trial_plan"] = plan.Describe();
        Peer(report, o, plan, data);
    }

    private static double Wall(JsonElement trial) =>
        trial.GetProperty("failed").GetBoolean() ? double.NaN : ChildSections.Number(trial, "wall_seconds");

    /// <summary>Child: one trial of the plan's options for <paramref name="arch"/>, one thread; its result and the estimator's counted multiply-adds.</summary>
    public static void Child(BenchOptions o, string arch, TrainingData data)
    {
        set_num_threads(1);
        var plan = TrialPlan.From(o);
        var options = plan.Options(arch);
        // A network of the trial's starting shape, for the layers' sizes the estimator's count needs.
        using var generator = new Generator(0);
        var specs = Sweep.Pruning.Models.Architectures.Layers(arch, options.Width, data.Classes);
        using var shape = specs[0].Kind == LayerKind.Convolution
            ? GatedNetwork.Create(specs, 1, data.Height, options.Init.Name(), generator, 1.0)
            : GatedNetwork.Create(specs, data.Features, 1, options.Init.Name(), generator, 1.0, options.InputGates);
        var layers = shape.Layers;
        IReadOnlyList<int> widths = shape.PhysicalWidths();
        double estimatorMacs = 0;
        long lastStep = 0;
        // exact-examples: the flips of that many examples per batch, in the epochs exact-examples-epochs gives.
        int FlippedExamples(int epoch) => Sweep.Pruning.Gates.ExactEstimator.EvaluatedExamples(
            Sweep.Pruning.Gates.ExactEstimator.ExamplesIn(options.ExactExamples, options.ExactExamplesEpochs, epoch), options.BatchSize);
        // The widths reported after a compaction hold until the next one: count the estimator's work per span.
        // A span never crosses an epoch's end (each end reports), so all its steps are in the current epoch.
        var epoch = 1;
        void Count(long step, IReadOnlyList<int> next)
        {
            estimatorMacs += (step - lastStep) * FlippedExamples(epoch) * EstimatorCost.MacsPerExample(layers, widths);
            lastStep = step;
            widths = next;
        }
        var hooks = new TrainingHooks
        {
            StepInterval = options.CompactEvery,
            OnSteps = p => Count(p.Step, p.Widths),
            OnEpoch = p =>
            {
                Count(p.Step, p.Widths);
                epoch++;
            },
        };
        var sw = Stopwatch.StartNew();
        string outcome;
        TrainingResult? result = null;
        try
        {
            result = Trainer.Run(options, data, hooks);
            outcome = string.Create(CultureInfo.InvariantCulture, $"final {string.Join("-", result.FinalWidths)}, error {result.TestError:P2}");
        }
        catch (TrainingFailedException e)
        {
            outcome = "failed: " + e.Message;
        }
        var wall = sw.Elapsed.TotalSeconds;
        ChildSections.EmitResult(new Dictionary<string, object>
        {
            ["arch"] = arch,
            ["wall_seconds"] = wall,
            ["train_seconds"] = result?.WallSeconds ?? double.NaN,
            ["train_flops"] = result?.TrainFlops ?? double.NaN,
            ["train_flops_fraction"] = result?.TrainFlopsFraction ?? double.NaN,
            ["estimator_macs"] = result is null ? double.NaN : estimatorMacs,
            ["steps"] = result?.Steps ?? lastStep,
            ["outcome"] = outcome,
            ["failed"] = result is null,
            ["test_error"] = result?.TestError ?? double.NaN,
            ["final_widths"] = result?.FinalWidths.ToArray() ?? [],
            ["options"] = options.ToSettings(),
        });
    }

    // Starts `count` children at once and waits for all of them.
    private static JsonElement[] RunTrials(BenchOptions o, TrialPlan plan, string arch, int count)
    {
        var args = new[] { "child-trial", "--arch", arch }.Concat(plan.ChildArguments()).ToArray();
        var tasks = Enumerable.Range(0, count).Select(_ => Task.Run(() => ChildSections.Run(o, args, []))).ToArray();
        Task.WaitAll(tasks);
        foreach (var t in tasks)
        {
            Console.Error.WriteLine($"  trial {arch} ({count} at once): {t.Result.GetRawText()}");
        }
        return tasks.Select(t => t.Result).ToArray();
    }

    // The PyTorch peer's dense epochs (full training set) and Sweep's dense loop, one thread each, in the same run.
    private static void Peer(Report report, BenchOptions o, TrialPlan plan, TrainingData data)
    {
        foreach (var arch in plan.PeerArchitectures)
        {
            var peerArch = arch == "lenet5-caffe" ? "lenet5" : "mlp";
            var peer = PyTorchPeer.Run(o, peerArch, plan.PeerEpochs);
            var examples = Math.Min(plan.TrainLimit ?? data.TrainCount, data.TrainCount);
            var scale = (double)data.TrainCount / examples;
            set_num_threads(1);
            using var dense = new DenseLoop(arch);
            dense.Epoch(data, Math.Min(examples, 2000), steps: 5);
            var ours = Summary.Of(Enumerable.Range(0, plan.PeerEpochs).Select(_ => dense.Epoch(data, examples) * scale).ToList());
            var scaledNote = examples == data.TrainCount ? "full epoch" : $"{examples} examples scaled to {data.TrainCount}";
            report.Add("trial", $"{arch}: Sweep dense loop epoch (TorchSharp)", ours, "s", scaledNote + ", 1 thread");
            if (peer is null)
            {
                report.Add("trial", $"{arch}: PyTorch peer dense epoch", double.NaN, "s", "peer not run: " + PyTorchPeer.LastProblem);
                continue;
            }
            report.Add("trial", $"{arch}: PyTorch peer dense epoch", peer, "s", $"{PyTorchPeer.Version}, BLAS {PyTorchPeer.Blas()}, full epoch, 1 thread");
            report.Add("trial", $"{arch}: PyTorch peer / Sweep dense loop", peer.Median / ours.Median, "x", "medians, same run");
        }
    }
}
