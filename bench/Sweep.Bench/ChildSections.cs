using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Sweep.Options;
using Sweep.Pruning.Engine;
using Sweep.Pruning.Training;
using static TorchSharp.torch;

namespace Sweep.Bench;

/// <summary>
/// Sections measured in child processes: 5 (LeNet-5-Caffe per convolution path: oneDNN fixes its ISA
/// at the first convolution of a process, so each path needs its own process) and 6 (peak memory).
/// </summary>
internal static class ChildSections
{
    /// <summary>sse41: the cap; onednn-default: uncapped; native: oneDNN off; per-machine: no setting, the path Sweep's per-machine verdict picks.</summary>
    public static readonly string[] ConvPaths = ["sse41", "onednn-default", "native", "per-machine"];

    /// <summary>5, parent: rounds of one child per path, in rotation; each child measures one dense and one gated epoch.</summary>
    /// <summary>exact-examples of the lenet5 section's third epoch: a quarter of the batch of 100.</summary>
    private const int QuarterBatch = 25;

    public static void Lenet5(Report report, BenchOptions o)
    {
        // --lenet5-paths a,b: a subset of the paths (the ratios to sse41 need it among them).
        var paths = o.Extra.TryGetValue("lenet5-paths", out var chosen)
            ? chosen.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            : ConvPaths;
        if (paths.Length == 0 || paths.Any(p => !ConvPaths.Contains(p)))
        {
            throw new ArgumentException($"--lenet5-paths: '{chosen}' is not a list of {string.Join(", ", ConvPaths)}.");
        }
        var results = paths.ToDictionary(p => p, _ => new List<JsonElement>());
        for (var r = 0; r < o.Repeats; r++)
        {
            foreach (var path in paths)
            {
                // This process's EngineSetup may have put ONEDNN_MAX_CPU_ISA in the environment the children inherit: remove it, so each child decides.
                var isa = path switch { "sse41" => EngineSetup.SafeIsa, "onednn-default" => "default", _ => "" };
                var environment = new Dictionary<string, string> { ["ONEDNN_MAX_CPU_ISA"] = "", ["SWEEP_CONV_ISA_APPLIED"] = "", ["SWEEP_CONV_ISA"] = isa };
                var json = Run(o, ["child-lenet5", "--path", path, "--limit", o.Lenet5Limit.ToString(CultureInfo.InvariantCulture), "--round", r.ToString(CultureInfo.InvariantCulture)], environment);
                results[path].Add(json);
                Console.Error.WriteLine($"  round {r + 1} {path}: {json.GetRawText()}");
            }
        }
        var scale = 60000.0 / o.Lenet5Limit;
        var flops = 2 * 3 * DenseLoop.ForwardMacs("lenet5-caffe") * 60000;
        var note = o.Lenet5Limit == 60000 ? "full epoch" : string.Create(CultureInfo.InvariantCulture, $"{o.Lenet5Limit} examples scaled x{scale:F1} to one epoch");
        double[] Get(string path, string key) => results[path].Select(e => e.GetProperty(key).GetDouble()).ToArray();
        foreach (var path in paths)
        {
            var check = results[path][0];
            report.Add("lenet5", $"{path}: dense epoch", Summary.Of(Get(path, "dense").Select(t => t * scale)), "s",
                $"{note}; conv check fwd {check.GetProperty("forward_error").GetDouble():E1} passed {check.GetProperty("check_passed").GetBoolean()}; " +
                $"oneDNN {(check.GetProperty("onednn_enabled").GetBoolean() ? check.GetProperty("onednn_isa").GetString() : "off")}");
            report.Add("lenet5", $"{path}: dense throughput", Summary.Of(Get(path, "dense").Select(t => flops / (t * scale) / 1e9)), "GFLOP/s");
            report.Add("lenet5", $"{path}: gated (exact, no pruning) epoch", Summary.Of(Get(path, "gated").Select(t => t * scale)), "s", note);
            report.Add("lenet5", $"{path}: gated / dense (same process)", Summary.Of(Get(path, "gated").Zip(Get(path, "dense"), (g, d) => g / d)), "x");
            report.Add("lenet5", $"{path}: gated, exact-examples {QuarterBatch} / dense (same process)",
                Summary.Of(Get(path, "gated_exact_examples_25").Zip(Get(path, "dense"), (g, d) => g / d)), "x", "the flips of a quarter of each batch");
        }
        foreach (var path in paths.Where(p => p != "sse41" && paths.Contains("sse41")))
        {
            report.Add("lenet5", $"dense: {path} / sse41 (same round)", Summary.Of(Get(path, "dense").Zip(Get("sse41", "dense"), (a, b) => a / b)), "x");
            report.Add("lenet5", $"gated: {path} / sse41 (same round)", Summary.Of(Get(path, "gated").Zip(Get("sse41", "gated"), (a, b) => a / b)), "x");
        }
        report.Details["lenet5_children"] = results.ToDictionary(kv => kv.Key, kv => kv.Value.Select(e => e.GetRawText()).ToArray());
    }

    /// <summary>5, child: picks the convolution path before the first convolution, checks it, then times one dense and one gated epoch.</summary>
    public static void Lenet5Child(BenchOptions o, string path, int round, TrainingData data)
    {
        if (path == "native")
        {
            OneDnnSwitch.SetEnabled(false);
        }
        var check = ConvolutionSelfCheck.Result;
        // The ISA the per-machine decision left in this process's environment (none: oneDNN uncapped).
        var oneDnnIsa = Environment.GetEnvironmentVariable(EngineSetup.OneDnnIsaVariable) is { Length: > 0 } capped ? capped : "uncapped";
        var limit = o.Lenet5Limit;
        using var dense = new DenseLoop("lenet5-caffe");
        dense.Epoch(data, limit, steps: 5);
        TrainingSections.GatedEpoch(data, "lenet5-caffe", "exact", 500);
        double denseT, gatedT, quarterT;
        // The same gated epoch with exact-examples 25 (the flips of a quarter of each batch), between the other two.
        if (round % 2 == 0)
        {
            denseT = dense.Epoch(data, limit);
            quarterT = TrainingSections.GatedEpoch(data, "lenet5-caffe", "exact", limit, exactExamples: QuarterBatch);
            gatedT = TrainingSections.GatedEpoch(data, "lenet5-caffe", "exact", limit);
        }
        else
        {
            gatedT = TrainingSections.GatedEpoch(data, "lenet5-caffe", "exact", limit);
            quarterT = TrainingSections.GatedEpoch(data, "lenet5-caffe", "exact", limit, exactExamples: QuarterBatch);
            denseT = dense.Epoch(data, limit);
        }
        Emit(new Dictionary<string, object>
        {
            ["path"] = path,
            ["dense"] = denseT,
            ["gated"] = gatedT,
            ["gated_exact_examples_25"] = quarterT,
            ["forward_error"] = check.ForwardError,
            ["input_gradient_error"] = check.InputGradientError,
            ["weight_gradient_error"] = check.WeightGradientError,
            ["check_passed"] = check.Passed,
            ["onednn_enabled"] = OneDnnSwitch.IsEnabled,
            ["onednn_isa"] = oneDnnIsa,
            ["status"] = ConvolutionSelfCheck.Status,
        });
    }

    /// <summary>OpenMP wait policies the thread section compares (libgomp reads them once, when libtorch loads).</summary>
    public static readonly (string Name, Dictionary<string, string> Environment)[] WaitPolicies =
    [
        ("omp-default", new() { ["OMP_WAIT_POLICY"] = "", ["SWEEP_OMP_WAIT"] = "default" }),
        ("omp-passive", new() { ["OMP_WAIT_POLICY"] = "PASSIVE" }),
        // libgomp's default policy with a short spin (its default spin count is 300,000 iterations).
        ("omp-spin10k", new() { ["OMP_WAIT_POLICY"] = "", ["SWEEP_OMP_WAIT"] = "default", ["GOMP_SPINCOUNT"] = "10000" }),
    ];

    /// <summary>Thread settings, parent: per OpenMP wait policy (one child each, in rotation), dense step time at 1 and N threads.</summary>
    public static void Threads(Report report, BenchOptions o)
    {
        var results = WaitPolicies.ToDictionary(p => p.Name, _ => new List<JsonElement>());
        for (var r = 0; r < o.Repeats; r++)
        {
            foreach (var (name, environment) in WaitPolicies)
            {
                var json = Run(o, ["child-threads"], environment);
                results[name].Add(json);
                Console.Error.WriteLine($"  round {r + 1} {name}: {json.GetRawText()}");
            }
        }
        double[] Get(string name, string key) => results[name].Select(e => e.GetProperty(key).GetDouble()).ToArray();
        foreach (var (name, _) in WaitPolicies)
        {
            report.Add("threads", $"{name}: dense LeNet-300-100 step, 1 thread", Summary.Of(Get(name, "one")), "ms");
            report.Add("threads", $"{name}: dense LeNet-300-100 step, {Environment.ProcessorCount} threads", Summary.Of(Get(name, "many")), "ms");
            report.Add("threads", $"{name}: {Environment.ProcessorCount} threads / 1 thread (same child)", Summary.Of(Get(name, "many").Zip(Get(name, "one"), (a, b) => a / b)), "x");
        }
        var baseline = WaitPolicies[0].Name;
        foreach (var (name, _) in WaitPolicies.Skip(1))
        {
            report.Add("threads", $"{Environment.ProcessorCount} threads: {name} / {baseline} (same round)", Summary.Of(Get(name, "many").Zip(Get(baseline, "many"), (a, b) => a / b)), "x");
        }
    }

    public static void EmitResult(Dictionary<string, object> values) => Emit(values);

    /// <summary>6, parent: peak resident memory of a process holding the data and running 0, 1 or 2 concurrent trials.</summary>
    public static void Memory(Report report, BenchOptions o)
    {
        var peaks = new Dictionary<int, List<double>> { [0] = [], [1] = [], [2] = [] };
        for (var r = 0; r < o.Repeats; r++)
        {
            foreach (var k in peaks.Keys)
            {
                var json = Run(o, ["child-memory", "--trials", k.ToString(CultureInfo.InvariantCulture), "--limit", o.MemoryLimit.ToString(CultureInfo.InvariantCulture)], []);
                peaks[k].Add(json.GetProperty("vm_hwm_mb").GetDouble());
                Console.Error.WriteLine($"  round {r + 1} trials {k}: {json.GetRawText()}");
            }
        }
        var note = string.Create(CultureInfo.InvariantCulture, $"LeNet-300-100, default options, 1 epoch of {o.MemoryLimit} examples, 1 thread");
        report.Add("memory", "peak RSS, data loaded, no trial", Summary.Of(peaks[0]), "MB", "VmHWM");
        report.Add("memory", "peak RSS, 1 trial", Summary.Of(peaks[1]), "MB", note);
        report.Add("memory", "peak RSS, 2 concurrent trials", Summary.Of(peaks[2]), "MB", note + "; target <= 1536");
    }

    /// <summary>6, child: runs <paramref name="trials"/> trials on their own threads, then reports VmHWM.</summary>
    public static void MemoryChild(int trials, int limit, TrainingData data)
    {
        set_num_threads(1);
        _ = data.Tensors;
        var threads = Enumerable.Range(0, trials).Select(i => new Thread(() =>
        {
            try
            {
                Trainer.Run(new TrialOptions { Epochs = 1, TrainLimit = limit, Seed = i }, data);
            }
            catch (TrainingFailedException)
            {
                // One epoch of a few thousand examples can end collapsed under the default weight prior; the
                // training (and its peak memory) happened all the same, and peak memory is what is measured.
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Emit(new Dictionary<string, object> { ["trials"] = trials, ["vm_hwm_mb"] = StatusKb("VmHWM") / 1024.0, ["vm_rss_mb"] = StatusKb("VmRSS") / 1024.0 });
    }

    private static double StatusKb(string key)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(key + ":", StringComparison.Ordinal))
            {
                return double.Parse(line[(key.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }
        return double.NaN;
    }

    private const string ResultPrefix = "RESULT ";

    // NaN (a failed trial's metrics) is written as the string "NaN"; readers use Number.
    private static readonly JsonSerializerOptions EmitOptions = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    private static void Emit(Dictionary<string, object> values) => Console.WriteLine(ResultPrefix + JsonSerializer.Serialize(values, EmitOptions));

    /// <summary>A child's number, NaN where it wrote none.</summary>
    public static double Number(JsonElement result, string key) =>
        result.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : double.NaN;

    public static JsonElement Run(BenchOptions o, string[] args, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!)
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var a in args.Concat(o.ChildArguments()))
        {
            start.ArgumentList.Add(a);
        }
        foreach (var (k, v) in environment)
        {
            if (v.Length == 0)
            {
                start.Environment.Remove(k);
            }
            else
            {
                start.Environment[k] = v;
            }
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var line = output.Split('\n').LastOrDefault(l => l.StartsWith(ResultPrefix, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"child {string.Join(' ', args)} exited {process.ExitCode} without a result:\n{output}");
        return JsonDocument.Parse(line[ResultPrefix.Length..]).RootElement.Clone();
    }
}
