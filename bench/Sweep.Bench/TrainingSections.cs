using System.Globalization;
using Sweep.Options;
using Sweep.Pruning.Models;
using Sweep.Pruning.Training;
using static TorchSharp.torch;

namespace Sweep.Bench;

/// <summary>Sections 1-4 and 7: roofline, dense and gated epochs, a pruning run and inference of its result.</summary>
internal static class TrainingSections
{
    private const int Batch = 100;

    /// <summary>1. float32 matrix multiply 2048^3 through TorchSharp: GFLOP/s (2 flops per multiply-add).</summary>
    public static double Roofline(Report report, BenchOptions o)
    {
        var s = Summary.Of(RooflineSamples(o));
        report.Add("roofline", "sgemm 2048^3", s, "GFLOP/s", $"threads {get_num_threads()}");
        return s.Median;
    }

    /// <summary>The samples of <see cref="Roofline"/>, GFLOP/s, without a report row.</summary>
    public static List<double> RooflineSamples(BenchOptions o)
    {
        const long N = 2048;
        using var scope = NewDisposeScope();
        var a = randn(N, N);
        var b = randn(N, N);
        var c = empty(N, N);
        for (var i = 0; i < 3; i++)
        {
            matmul(a, b, c);   // warm-up
        }
        var samples = new List<double>();
        for (var r = 0; r < Math.Max(o.Repeats, 5) * 2; r++)
        {
            var t = Clock.Time(() => matmul(a, b, c));
            samples.Add(2.0 * N * N * N / t / 1e9);
        }
        return samples;

        static void matmul(Tensor x, Tensor y, Tensor z) => TorchSharp.torch.matmul(x, y).Dispose();
    }

    /// <summary>Child: dense LeNet-300-100 steps at 1 thread and at one thread per core, interleaved; milliseconds per step.</summary>
    public static Dictionary<string, object> ThreadsChild(BenchOptions o, TrainingData data)
    {
        const int Steps = 40;
        // Shuffle only the examples the steps use: a pass over all 60,000 copies 188 MB first, which took
        // longer than the 40 steps and, being parallel itself, blurred the thread comparison.
        var examples = Math.Min(Steps * Batch, data.TrainCount);
        var cores = Environment.ProcessorCount;
        using var dense = new DenseLoop("lenet300-100");
        dense.Epoch(data, examples, steps: 20);
        var one = new List<double>();
        var many = new List<double>();
        for (var r = 0; r < 3; r++)
        {
            set_num_threads(1);
            one.Add(dense.Epoch(data, examples, steps: Steps) / Steps * 1000);
            set_num_threads(cores);
            many.Add(dense.Epoch(data, examples, steps: Steps) / Steps * 1000);
        }
        return new Dictionary<string, object> { ["one"] = Summary.Of(one).Median, ["many"] = Summary.Of(many).Median };
    }

    /// <summary>
    /// One epoch of the gated trainer with pruning disabled (cost 0, theta learning rate 0, theta0 1): training seconds.
    /// <paramref name="fusedStep"/> false keeps LeNet-300-100 on the autograd path (the fused step's baseline).
    /// </summary>
    public static double GatedEpoch(TrainingData data, string architecture, string estimator, int? limit, bool fusedStep = true, double width = 1.0, int exactExamples = 0)
    {
        var examples = Math.Min(limit ?? data.TrainCount, data.TrainCount);
        var steps = (examples + Batch - 1) / Batch;
        var options = new TrialOptions
        {
            Architecture = TrialOptionSchema.Architecture.Parse(architecture).Value,
            Width = width,
            Epochs = 1,
            ParameterCost = 0,
            FlopCost = 0,
            ThetaLearningRate = 0,
            Estimator = TrialOptionSchema.Estimator.Parse(estimator).Value,
            TrainLimit = limit,
            LearningRateSchedule = LearningRateSchedule.None,
            ExactExamples = exactExamples,
        };
        var seconds = double.NaN;
        // Where the data allow, train one batch more than measured and cancel before it, so the
        // trainer's end-of-run test evaluations (costly for LeNet-5) do not run.
        var cancel = examples + Batch <= data.TrainCount;
        using var cancellation = new CancellationTokenSource();
        if (cancel)
        {
            options = options with { TrainLimit = examples + Batch };
        }
        var hooks = new TrainingHooks
        {
            StepInterval = steps,
            OnSteps = p =>
            {
                if (p.Step == steps)
                {
                    seconds = p.Seconds;
                    if (cancel)
                    {
                        cancellation.Cancel();
                    }
                }
            },
        };
        try
        {
            options.Validate();
            using var session = new TrainingSession(options, data, hooks, cancellation.Token, fusedStep);
            session.Run(null);
        }
        catch (OperationCanceledException) when (cancel)
        {
        }
        return seconds;
    }

    /// <summary>2 and 3: dense LeNet-300-100 epochs interleaved with gated epochs (exact and multilinear) at equal width.</summary>
    public static void DenseAndGated(Report report, BenchOptions o, TrainingData data, double roofline)
    {
        const string Arch = "lenet300-100";
        using var dense = new DenseLoop(Arch);
        dense.Epoch(data, data.TrainCount, steps: 50);                 // warm-up
        GatedEpoch(data, Arch, "exact", 2000);
        GatedEpoch(data, Arch, "multilinear", 2000);
        GatedEpoch(data, Arch, "exact", 2000, fusedStep: false);
        // 75-25: where a pruning run spends most of its steps, and a step is mostly per-operation cost.
        using var denseSmall = new DenseLoop(Arch, hiddenWidths: [75, 25]);
        denseSmall.Epoch(data, data.TrainCount, steps: 50);
        var denseT = new List<double>();
        var exactT = new List<double>();
        var autogradT = new List<double>();
        var multiT = new List<double>();
        var denseSmallT = new List<double>();
        var exactSmallT = new List<double>();
        var autogradSmallT = new List<double>();
        for (var r = 0; r < o.Repeats; r++)
        {
            denseT.Add(dense.Epoch(data, data.TrainCount));
            exactT.Add(GatedEpoch(data, Arch, "exact", null));
            autogradT.Add(GatedEpoch(data, Arch, "exact", null, fusedStep: false));
            multiT.Add(GatedEpoch(data, Arch, "multilinear", null));
            denseSmallT.Add(denseSmall.Epoch(data, data.TrainCount));
            exactSmallT.Add(GatedEpoch(data, Arch, "exact", null, width: 0.25));
            autogradSmallT.Add(GatedEpoch(data, Arch, "exact", null, fusedStep: false, width: 0.25));
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  round {r + 1}: dense {denseT[^1]:F2}s exact {exactT[^1]:F2}s (autograd {autogradT[^1]:F2}s) multilinear {multiT[^1]:F2}s; 75-25: dense {denseSmallT[^1]:F2}s exact {exactSmallT[^1]:F2}s (autograd {autogradSmallT[^1]:F2}s)"));
        }
        var flops = 2 * 3 * DenseLoop.ForwardMacs(Arch) * data.TrainCount;
        var d = Summary.Of(denseT);
        report.Add("dense", "LeNet-300-100 epoch (60k, batch 100, Adam)", d, "s");
        var gflops = Summary.Of(denseT.Select(t => flops / t / 1e9));
        report.Add("dense", "LeNet-300-100 throughput", gflops, "GFLOP/s", $"{flops / 1e9:F1} GFLOP per epoch");
        report.Add("dense", "LeNet-300-100 fraction of roofline", gflops.Median / roofline, "", "median GFLOP/s / median roofline");
        report.Add("gated", "exact, no pruning: epoch", Summary.Of(exactT), "s");
        report.Add("gated", "exact / dense (paired per round)", Summary.Of(exactT.Zip(denseT, (g, x) => g / x)), "x", "target <= 1.3 (issue 13)");
        report.Add("gated", "exact, autograd path: epoch", Summary.Of(autogradT), "s");
        report.Add("gated", "exact autograd path / dense (paired per round)", Summary.Of(autogradT.Zip(denseT, (g, x) => g / x)), "x");
        report.Add("gated", "exact fused / autograd path (paired per round)", Summary.Of(exactT.Zip(autogradT, (g, x) => g / x)), "x");
        report.Add("dense", "LeNet-300-100 at 75-25: epoch", Summary.Of(denseSmallT), "s");
        report.Add("gated", "75-25 exact / dense 75-25 (paired per round)", Summary.Of(exactSmallT.Zip(denseSmallT, (g, x) => g / x)), "x");
        report.Add("gated", "75-25 exact autograd path / dense 75-25 (paired per round)", Summary.Of(autogradSmallT.Zip(denseSmallT, (g, x) => g / x)), "x");
        report.Add("gated", "multilinear, no pruning: epoch", Summary.Of(multiT), "s");
        report.Add("gated", "multilinear / dense (paired per round)", Summary.Of(multiT.Zip(denseT, (g, x) => g / x)), "x");
    }

    /// <summary>4 and 7: one pruning run with the default options; per-epoch time and FLOPs against dense epochs measured around it; then inference.</summary>
    public static void PruneAndInference(Report report, BenchOptions o, TrainingData data)
    {
        const string Arch = "lenet300-100";
        using var dense = new DenseLoop(Arch);
        dense.Epoch(data, data.TrainCount, steps: 50);
        var denseT = new List<double>();
        for (var r = 0; r < (o.Repeats + 1) / 2; r++)
        {
            denseT.Add(dense.Epoch(data, data.TrainCount));
        }

        var options = new TrialOptions { Architecture = TrialOptionSchema.Architecture.Parse(Arch).Value, Epochs = o.PruneEpochs, Seed = 0 };
        var steps = data.TrainCount / Batch;
        var stepSeconds = new List<double>();
        var epochRows = new List<Dictionary<string, object>>();
        var hooks = new TrainingHooks
        {
            StepInterval = steps,
            OnSteps = p => stepSeconds.Add(p.Seconds),
            OnEpoch = p =>
            {
                var previous = stepSeconds.Count > 1 ? stepSeconds[^2] : 0.0;
                var epochSeconds = stepSeconds[^1] - previous;
                epochRows.Add(new Dictionary<string, object>
                {
                    ["epoch"] = p.Epoch,
                    ["train_seconds"] = epochSeconds,
                    ["flops_per_step_end"] = p.FlopsPerStep,
                    ["widths"] = p.Widths.ToArray(),
                    ["undecided"] = p.Undecided,
                    ["test_error"] = p.TestError,
                });
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  prune epoch {p.Epoch}: train {epochSeconds:F2}s widths {string.Join("-", p.Widths)} flops/step {p.FlopsPerStep:E2} err {p.TestError:P2}"));
            },
        };
        using var session = new TrainingSession(options, data, hooks, CancellationToken.None);
        var result = session.Run(null);

        for (var r = 0; r < (o.Repeats + 1) / 2; r++)
        {
            denseT.Add(dense.Epoch(data, data.TrainCount));
        }
        var d = Summary.Of(denseT);
        var epochSecondsList = epochRows.Select(e => (double)e["train_seconds"]).ToList();
        var total = epochSecondsList.Sum();
        var timeFraction = total / (d.Median * o.PruneEpochs);
        var note = $"{o.PruneEpochs} epochs, default options (exact, cost {options.ParameterCost}), seed 0; one run";
        report.Add("prune", "dense epoch around the run", d, "s", "median of epochs before and after");
        for (var e = 0; e < epochRows.Count; e++)
        {
            report.Add("prune", $"epoch {e + 1}: train time / dense epoch", epochSecondsList[e] / d.Median, "x",
                string.Create(CultureInfo.InvariantCulture, $"widths {string.Join("-", (int[])epochRows[e]["widths"])}, flops/step at end {(double)epochRows[e]["flops_per_step_end"] / (3.0 * Batch * DenseLoop.ForwardMacs(Arch)):P1} of dense"));
        }
        report.Add("prune", "total train time / dense, same epochs", timeFraction, "", note + "; target <= 0.35");
        report.Add("prune", "train FLOP fraction (of dense)", result.TrainFlopsFraction, "");
        report.Add("prune", "time fraction / FLOP fraction", timeFraction / result.TrainFlopsFraction, "x", "target <= 1.3");
        report.Add("prune", "final forward FLOP fraction", result.FlopsFraction, "",
            string.Create(CultureInfo.InvariantCulture, $"final {string.Join("-", result.FinalWidths)}, error {result.TestError:P2}, undecided {result.Undecided}"));
        report.Details["prune_epochs"] = epochRows;
        report.Details["prune_result"] = new Dictionary<string, object>
        {
            ["final_widths"] = result.FinalWidths.ToArray(),
            ["test_error"] = result.TestError,
            ["flops_fraction"] = result.FlopsFraction,
            ["train_flops_fraction"] = result.TrainFlopsFraction,
            ["wall_seconds"] = result.WallSeconds,
        };

        // Inference runs the network as it physically is; its FLOPs can exceed the deterministic widths' (undecided gates are not removed yet).
        var physicalFraction = session.Network.Count(session.Network.PhysicalWidths()).Flops / (DenseLoop.ForwardMacs(Arch));
        report.Add("prune", "physical forward FLOP fraction at the end", physicalFraction, "", $"widths {string.Join("-", session.Network.PhysicalWidths())}");

        // The floor: plain dense training of the architecture the run ended with, against the full-width dense epoch,
        // and the gated trainer's last epoch against it (its overhead at equal width).
        using (var final = new DenseLoop(Arch, hiddenWidths: session.Network.PhysicalWidths()))
        {
            final.Epoch(data, data.TrainCount, steps: 50);
            var finalT = Summary.Of(Enumerable.Range(0, (o.Repeats + 1) / 2).Select(_ => final.Epoch(data, data.TrainCount)).ToList());
            report.Add("prune", "dense epoch at the final widths / dense epoch", finalT.Median / d.Median, "x",
                $"widths {string.Join("-", session.Network.PhysicalWidths())}, the least any trainer of that architecture pays per epoch here");
            report.Add("prune", "last pruning epoch / dense epoch at the final widths", epochSecondsList[^1] / finalT.Median, "x", "the gated trainer's overhead at equal width");
        }
        Inference(report, o, data, session.Network, physicalFraction);
    }

    /// <summary>7: examples/s of the compacted network against a dense one of the starting widths, interleaved.</summary>
    private static void Inference(Report report, BenchOptions o, TrainingData data, GatedNetwork compacted, double flopsFraction)
    {
        var (_, _, testImages, _) = data.Tensors;
        using var generator = new Generator(1);
        using var denseNet = GatedNetwork.Create(Architectures.Layers("lenet300-100", 1.0, 10), 1, 28, "kaiming-uniform", generator, 1.0);
        double Run(GatedNetwork net)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var gates = net.DeterministicGates();
            var sw = System.Diagnostics.Stopwatch.StartNew();
            for (var start = 0; start < data.TestCount; start += 1000)
            {
                net.Forward(net.ShapeInput(testImages.narrow(0, start, Math.Min(1000, data.TestCount - start))), gates);
            }
            return data.TestCount / sw.Elapsed.TotalSeconds;
        }
        Run(denseNet);
        Run(compacted);
        var d = new List<double>();
        var c = new List<double>();
        for (var r = 0; r < Math.Max(o.Repeats, 5) * 2; r++)
        {
            d.Add(Run(denseNet));
            c.Add(Run(compacted));
        }
        report.Add("inference", "dense LeNet-300-100 (10k test, chunks of 1000)", Summary.Of(d), "ex/s");
        report.Add("inference", "compacted final network", Summary.Of(c), "ex/s");
        var speedup = Summary.Of(c.Zip(d, (x, y) => x / y));
        report.Add("inference", "speedup (paired)", speedup, "x",
            string.Create(CultureInfo.InvariantCulture, $"FLOP reduction {1 / flopsFraction:F2}x; target speedup >= {0.5 / flopsFraction:F2}x"));
    }
}
