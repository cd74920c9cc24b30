using System.Globalization;
using Sweep.Pruning.Training;

// Scratch/bench driver: `synthetic` runs a small generated task; `mnist DIR k=v ...` trains on MNIST IDX files.
var mode = args.Length > 0 ? args[0] : "synthetic";
if (mode == "ops")
{
    OpOverhead.Run();
    return;
}
if (mode == "kernel")
{
    KernelMicro.Run();
    return;
}
if (mode == "micro")
{
    Micro.Run();
    return;
}
if (int.TryParse(Environment.GetEnvironmentVariable("EXACT_CHUNK"), out var chunkElements))
{
    Sweep.Pruning.Gates.ExactEstimator.ChunkElements = chunkElements;
}
var settings = args.Skip(mode == "mnist" ? 2 : 1).Select(a => a.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
var options = TrainingOptions.FromSettings(settings);
static int Env(string name, int fallback) => int.TryParse(Environment.GetEnvironmentVariable(name), out var v) ? v : fallback;
TrainingData data = mode == "mnist" ? MnistFiles.Load(args[1]) : Synthetic(Env("SYN_TRAIN", 400), 500, Env("SYN_SIZE", 8), Env("SYN_CLASSES", 4), Env("SYN_SEED", 1));
var hooks = new TrainingHooks
{
    SetProcessThreadCount = true,
    OnEpoch = p => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"epoch {p.Epoch} step {p.Step} loss {p.TrainLoss:F4} err {p.TestError:P2} widths {string.Join("-", p.Widths)} undecided {p.Undecided} flops/step {p.FlopsPerStep:E2} t {p.Seconds:F1}s")),
    OnSteps = p => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"  step {p.Step} loss {p.TrainLoss:F4} widths {string.Join("-", p.Widths)} undecided {p.Undecided} t {p.Seconds:F1}s")),
    StepInterval = int.Parse(Environment.GetEnvironmentVariable("STEP_INTERVAL") ?? "100", CultureInfo.InvariantCulture),
};
var r = Trainer.Run(options, data, hooks);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"final {string.Join("-", r.FinalWidths)} err {r.TestError:P2} meanNet {r.TestErrorMeanNet:P2} params {r.Parameters} ({r.ParametersFraction:P1}) flops {r.Flops} ({r.FlopsFraction:P1}) undecided {r.Undecided} (tol {r.UndecidedTolerant}) trainFlops {r.TrainFlopsFraction:P1} wall {r.WallSeconds:F1}s reached {string.Join(",", r.EpochFinalWidthReached)}"));

static TrainingData Synthetic(int train, int test, int size, int classes, int seed)
{
    var random = new Random(seed);
    var features = size * size;
    var prototypes = Enumerable.Range(0, classes).Select(_ => Enumerable.Range(0, features).Select(_ => (float)random.NextDouble()).ToArray()).ToArray();
    (float[], long[]) Make(int n)
    {
        var x = new float[n * features];
        var y = new long[n];
        for (var i = 0; i < n; i++)
        {
            var c = random.Next(classes);
            y[i] = c;
            for (var f = 0; f < features; f++)
            {
                x[i * features + f] = (float)(prototypes[c][f] * 0.5 + 0.5 * random.NextDouble());
            }
        }
        return (x, y);
    }
    var (a, b) = Make(train);
    var (c2, d) = Make(test);
    return new TrainingData(a, b, c2, d, size, size, classes);
}

/// <summary>Bench-only MNIST IDX reader (the product's reader lives in src/Pruning/Data).</summary>
internal static class MnistFiles
{
    public static TrainingData Load(string dir)
    {
        byte[] Read(string name, int headerBytes) => File.ReadAllBytes(Path.Combine(dir, name)).Skip(headerBytes).ToArray();
        return TrainingData.FromBytes(
            Read("train-images-idx3-ubyte", 16), Read("train-labels-idx1-ubyte", 8),
            Read("t10k-images-idx3-ubyte", 16), Read("t10k-labels-idx1-ubyte", 8), 28, 28, 10);
    }
}
