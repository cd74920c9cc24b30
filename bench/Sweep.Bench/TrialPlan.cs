using System.Globalization;
using Sweep.Options;
using Sweep.Pruning.Training;
using YamlDotNet.RepresentationModel;

namespace Sweep.Bench;

/// <summary>
/// What the `trial` section runs: the study trials' options and the settings that shorten them for a
/// quick look (--trial-epochs, --trial-limit; a shortened run says so in its output), which architectures,
/// whether the side-by-side pair runs, and the peer's epochs.
/// </summary>
internal sealed record TrialPlan
{
    public const int Lenet300Epochs = 40;
    public const string StudySpec = "examples/lenet5-study.yaml";

    public int? Epochs { get; init; }
    public int? TrainLimit { get; init; }
    public IReadOnlyList<string> Architectures { get; init; } = TrialSection.Architectures;
    public IReadOnlyList<string> PeerArchitectures { get; init; } = TrialSection.Architectures;
    public bool Pair { get; init; } = true;
    public int PeerEpochs { get; init; } = 2;
    public int Seed { get; init; } = 1;

    /// <summary>The exact estimator's examples per batch for every trial (--trial-exact-examples; null: the trials' own setting).</summary>
    public int? ExactExamples { get; init; }

    /// <summary>The first epochs in which those examples apply (--trial-exact-examples-epochs; null: the trials' own setting).</summary>
    public int? ExactExamplesEpochs { get; init; }

    public bool Shortened => Epochs is not null || TrainLimit is not null;

    /// <summary>--trial-epochs N, --trial-limit N, --trial-arch A[,B], --trial-pair on|off, --trial-peer none|A[,B], --trial-peer-epochs N, --trial-seed N, --trial-exact-examples N, --trial-exact-examples-epochs E.</summary>
    public static TrialPlan From(BenchOptions o)
    {
        var plan = new TrialPlan();
        foreach (var (key, value) in o.Extra.Where(kv => kv.Key.StartsWith("trial-", StringComparison.Ordinal)))
        {
            plan = key switch
            {
                "trial-epochs" => plan with { Epochs = Positive(key, value) },
                "trial-limit" => plan with { TrainLimit = Positive(key, value) },
                "trial-arch" => plan with { Architectures = Names(key, value) },
                "trial-peer" => plan with { PeerArchitectures = value == "none" ? [] : Names(key, value) },
                "trial-pair" => plan with { Pair = value switch { "on" => true, "off" => false, _ => throw new ArgumentException($"--trial-pair: '{value}' is not on or off.") } },
                "trial-peer-epochs" => plan with { PeerEpochs = Positive(key, value) },
                "trial-seed" => plan with { Seed = int.Parse(value, CultureInfo.InvariantCulture) },
                "trial-exact-examples" => plan with { ExactExamples = int.Parse(value, CultureInfo.InvariantCulture) },
                "trial-exact-examples-epochs" => plan with { ExactExamplesEpochs = int.Parse(value, CultureInfo.InvariantCulture) },
                _ => throw new ArgumentException($"Unknown option --{key} (trial options: --trial-epochs, --trial-limit, --trial-arch, --trial-pair, --trial-peer, --trial-peer-epochs, --trial-seed, --trial-exact-examples, --trial-exact-examples-epochs)."),
            };
        }
        return plan;
    }

    /// <summary>The arguments that make a child use the same plan.</summary>
    public IEnumerable<string> ChildArguments()
    {
        if (Epochs is { } e)
        {
            yield return "--trial-epochs";
            yield return e.ToString(CultureInfo.InvariantCulture);
        }
        if (TrainLimit is { } l)
        {
            yield return "--trial-limit";
            yield return l.ToString(CultureInfo.InvariantCulture);
        }
        yield return "--trial-seed";
        yield return Seed.ToString(CultureInfo.InvariantCulture);
        if (ExactExamples is { } n)
        {
            yield return "--trial-exact-examples";
            yield return n.ToString(CultureInfo.InvariantCulture);
        }
        if (ExactExamplesEpochs is { } epochs)
        {
            yield return "--trial-exact-examples-epochs";
            yield return epochs.ToString(CultureInfo.InvariantCulture);
        }
    }

    /// <summary>
    /// LeNet-300-100: the default options, 40 epochs. LeNet-5-Caffe: the study spec's architecture, epochs,
    /// batch size and options, at its first cell (width 1, kaiming-uniform, the flattening prior). Seed from --trial-seed.
    /// </summary>
    public TrialOptions Options(string arch)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["arch"] = arch,
            ["epochs"] = Lenet300Epochs.ToString(CultureInfo.InvariantCulture),
        };
        if (arch == "lenet5-caffe")
        {
            settings = StudySettings(Path.Combine(RepositoryRoot(), StudySpec));
        }
        settings["seed"] = Seed.ToString(CultureInfo.InvariantCulture);
        settings["threads"] = "1";
        if (Epochs is { } e)
        {
            settings["epochs"] = e.ToString(CultureInfo.InvariantCulture);
        }
        if (TrainLimit is { } l)
        {
            settings["train-limit"] = l.ToString(CultureInfo.InvariantCulture);
        }
        if (ExactExamples is { } n)
        {
            settings["exact-examples"] = n.ToString(CultureInfo.InvariantCulture);
        }
        if (ExactExamplesEpochs is { } epochs)
        {
            settings["exact-examples-epochs"] = epochs.ToString(CultureInfo.InvariantCulture);
        }
        return TrialOptions.FromSettings(settings);
    }

    public string Note(string arch)
    {
        var o = Options(arch);
        var text = string.Create(CultureInfo.InvariantCulture, $"{o.Epochs} epochs, seed {o.Seed}, estimator {TrialOptionSchema.Estimator.Format(o.Estimator)}{(o.ExactExamples > 0 ? $" on {o.ExactExamples} examples per batch{(o.ExactExamplesEpochs > 0 ? $" in the first {o.ExactExamplesEpochs} epochs" : "")}" : "")}, cost {o.ParameterCost}, flop-cost {o.FlopCost}");
        return Shortened ? "SHORTENED: " + Describe() + "; " + text : text;
    }

    public string Describe() => Shortened
        ? string.Create(CultureInfo.InvariantCulture,
            $"epochs {(Epochs is { } e ? e.ToString(CultureInfo.InvariantCulture) : "full")} (study: {Lenet300Epochs} and the spec's), train-limit {(TrainLimit is { } l ? l.ToString(CultureInfo.InvariantCulture) : "none")}")
        : "full study trials";

    /// <summary>architecture, epochs, batch-size and the options map of a sweep spec, as kebab-case settings.</summary>
    public static Dictionary<string, string> StudySettings(string specPath)
    {
        if (!File.Exists(specPath))
        {
            throw new FileNotFoundException($"The study spec {specPath} is missing (the trial section reads LeNet-5-Caffe's options from it).", specPath);
        }
        var yaml = new YamlStream();
        using (var reader = new StreamReader(specPath))
        {
            yaml.Load(reader);
        }
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in root.Children)
        {
            var key = ((YamlScalarNode)k).Value!;
            switch (key)
            {
                case "architecture":
                    settings["arch"] = ((YamlScalarNode)v).Value!;
                    break;
                case "epochs" or "batch-size":
                    settings[key] = ((YamlScalarNode)v).Value!;
                    break;
                case "options":
                    foreach (var (ok, ov) in ((YamlMappingNode)v).Children)
                    {
                        settings[((YamlScalarNode)ok).Value!] = ((YamlScalarNode)ov).Value!;
                    }
                    break;
            }
        }
        return settings;
    }

    /// <summary>The folder holding Sweep.sln, searched upwards from the working directory and then from the harness's binary.</summary>
    public static string RepositoryRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Sweep.sln")))
                {
                    return dir.FullName;
                }
            }
        }
        throw new DirectoryNotFoundException("Sweep's repository root (the folder holding Sweep.sln) is not above the working directory or the harness.");
    }

    private static int Positive(string key, string value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new ArgumentException($"--{key}: '{value}' is not a positive integer.");

    private static string[] Names(string key, string value)
    {
        var names = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var unknown = names.Where(n => !TrialSection.Architectures.Contains(n)).ToArray();
        return unknown.Length == 0 && names.Length > 0
            ? names
            : throw new ArgumentException($"--{key}: '{value}' names no architecture of {string.Join(", ", TrialSection.Architectures)}.");
    }
}
