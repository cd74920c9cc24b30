using System.Globalization;
using System.Text.Json;
using Sweep.Bench;
using Sweep.Pruning.Data;
using Sweep.Pruning.Training;
using static TorchSharp.torch;

// Sweep's benchmark harness (docs/PERFORMANCE.md).
const string Usage = """
    Sweep.Bench SECTION [--out FILE] [--repeats N] [--prune-epochs N] [--lenet5-limit N] [--memory-limit N] [--threads N] [--data DIR]
    SECTION: all | roofline | threads (OpenMP wait policies) | dense (dense and gated LeNet-300-100)
             | prune (pruning run and inference) | lenet5 (convolution paths) | memory (peak RSS of 0, 1, 2 trials)
             | kernels (the pieces of a gated step alone: flip-loss kernels, a dense step, one TorchSharp op)
             | estimator (the exact estimator on LeNet-5-Caffe at full width: per layer, its convolution case's phases and paths)
             | conv (a channels-last im2col + sgemm convolution against libtorch's, LeNet-5-Caffe's training shapes;
               --conv-training off: the shapes only, not the gated epochs)
             | evaluation (a trial's per-epoch error evaluation on LeNet-5-Caffe: libtorch's layout against channels-last weights)
             | trial (one study trial per architecture against its FLOP limit, two side by side, the PyTorch peer;
               not part of all; shorten with --trial-epochs N --trial-limit N; also --trial-arch A[,B], --trial-pair on|off,
               --trial-peer none|A[,B], --trial-peer-epochs N, --trial-seed N, --trial-exact-examples N, --trial-exact-examples-epochs E, --peer-script PATH, --python EXE; bench/trial/run.sh)
    Defaults: --repeats 5, --prune-epochs 3, --lenet5-limit 6000, --memory-limit 3000, --threads <cores>,
              --data ~/.cache/sweep/datasets/mnist (fetch it with `sweep data fetch`). See docs/PERFORMANCE.md.
    """;
if (args.Any(a => a is "--help" or "-h"))
{
    Console.WriteLine(Usage);
    return 0;
}
var section = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : "all";
// Sweep's engine decisions (convolution ISA, thread waiting) must precede libtorch's loading.
Sweep.Pruning.Engine.EngineSetup.EnsureInitialized();
var o = BenchOptions.Parse(args.SkipWhile(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray());
set_num_threads(o.Threads);

TrainingData LoadData() => DatasetCache.Get(o.DataDirectory).ToTrainingData();

switch (section)
{
    case "child-lenet5":
        ChildSections.Lenet5Child(o, o.Extra["path"], int.Parse(o.Extra["round"], CultureInfo.InvariantCulture), LoadData());
        return 0;
    case "child-threads":
        ChildSections.EmitResult(TrainingSections.ThreadsChild(o, LoadData()));
        return 0;
    case "child-trial":
        TrialSection.Child(o, o.Extra["arch"], LoadData());
        return 0;
    case "child-memory":
        ChildSections.MemoryChild(int.Parse(o.Extra["trials"], CultureInfo.InvariantCulture), o.MemoryLimit, LoadData());
        return 0;
}

var known = new[] { "all", "roofline", "threads", "dense", "prune", "lenet5", "memory", "kernels", "estimator", "conv", "evaluation", "trial" };
if (!known.Contains(section))
{
    Console.Error.WriteLine($"Unknown section '{section}'. Sections: {string.Join(", ", known)}.");
    return 1;
}
var report = new Report();
var started = DateTime.UtcNow;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"Sweep.Bench {section}: {Environment.ProcessorCount} cores, torch threads {get_num_threads()}, repeats {o.Repeats}, load average at start {LoadAverage()}"));
// The kernels section times generated tensors: no dataset needed.
var data = section is "kernels" or "estimator" ? null : LoadData();
_ = data?.Tensors;
// `trial` runs study-length trials (an hour on an idle machine): only when named.
bool Runs(string s) => (section == "all" && s != "trial") || section == s;
if (section == "trial")
{
    _ = TrialPlan.From(o);   // bad trial options fail before anything runs
    // One thread per trial: the sgemm rate its FLOP limit uses is one core's.
    set_num_threads(1);
}
if (section == "evaluation")
{
    // One thread, as a trial evaluates: the FLOP limit uses one core's sgemm rate.
    set_num_threads(1);
}
var roofline = double.NaN;
if (Runs("roofline") || Runs("dense") || Runs("trial") || Runs("evaluation"))
{
    roofline = TrainingSections.Roofline(report, o);
}
if (Runs("threads"))
{
    ChildSections.Threads(report, o);
}
if (Runs("dense"))
{
    TrainingSections.DenseAndGated(report, o, data!, roofline);
}
if (Runs("prune"))
{
    TrainingSections.PruneAndInference(report, o, data!);
}
if (Runs("lenet5"))
{
    ChildSections.Lenet5(report, o);
}
if (Runs("memory"))
{
    ChildSections.Memory(report, o);
}
if (Runs("estimator"))
{
    EstimatorSections.Run(report, o);
}
if (Runs("conv"))
{
    ConvolutionSection.Run(report, o, data!);
}
if (Runs("evaluation"))
{
    EvaluationSection.Run(report, o, data!, roofline);
}
if (Runs("trial"))
{
    TrialSection.Run(report, o, data!, roofline);
}
if (Runs("kernels"))
{
    KernelSections.Run(report, o);
}
report.PrintTable();
var loadEnd = LoadAverage();
Console.WriteLine($"load average at end {loadEnd}");
if (o.Out is { } outPath)
{
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outPath))!);
    var document = new Dictionary<string, object>
    {
        ["section"] = section,
        ["command"] = "Sweep.Bench " + string.Join(' ', args),
        ["started_utc"] = started.ToString("o", CultureInfo.InvariantCulture),
        ["finished_utc"] = DateTime.UtcNow.ToString("o", CultureInfo.InvariantCulture),
        ["cores"] = Environment.ProcessorCount,
        ["torch_threads"] = o.Threads,
        ["repeats"] = o.Repeats,
        ["load_average_end"] = loadEnd,
        ["rows"] = report.Rows,
        ["details"] = report.Details,
    };
    File.WriteAllText(outPath, JsonSerializer.Serialize(document, new JsonSerializerOptions
    {
        WriteIndented = true,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    }));
    Console.WriteLine($"wrote {outPath}");
}
return 0;

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

namespace Sweep.Bench
{
    /// <summary>Command-line options of the harness; children receive the same values.</summary>
    internal sealed record BenchOptions
    {
        public string? Out { get; init; }
        public int Repeats { get; init; } = 5;
        public int PruneEpochs { get; init; } = 3;
        public int Lenet5Limit { get; init; } = 6000;
        public int MemoryLimit { get; init; } = 3000;
        public int Threads { get; init; } = Environment.ProcessorCount;
        public string DataDirectory { get; init; } = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "sweep", "datasets", "mnist");
        public Dictionary<string, string> Extra { get; init; } = [];

        public static BenchOptions Parse(string[] args)
        {
            var o = new BenchOptions();
            for (var i = 0; i < args.Length; i++)
            {
                var key = args[i].TrimStart('-');
                var value = i + 1 < args.Length ? args[++i] : throw new ArgumentException($"--{key} needs a value.");
                int Int() => int.Parse(value, CultureInfo.InvariantCulture);
                o = key switch
                {
                    "out" => o with { Out = value },
                    "repeats" => o with { Repeats = Int() },
                    "prune-epochs" => o with { PruneEpochs = Int() },
                    "lenet5-limit" => o with { Lenet5Limit = Int() },
                    "memory-limit" => o with { MemoryLimit = Int() },
                    "threads" => o with { Threads = Int() },
                    "data" => o with { DataDirectory = value },
                    _ => o with { Extra = new Dictionary<string, string>(o.Extra) { [key] = value } },
                };
            }
            return o;
        }

        /// <summary>The options a child process needs to measure the same thing.</summary>
        public string[] ChildArguments() =>
        [
            "--lenet5-limit", Lenet5Limit.ToString(CultureInfo.InvariantCulture),
            "--memory-limit", MemoryLimit.ToString(CultureInfo.InvariantCulture),
            "--threads", Threads.ToString(CultureInfo.InvariantCulture),
            "--data", DataDirectory,
        ];
    }
}
