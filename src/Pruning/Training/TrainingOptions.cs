using System.Globalization;
using Sweep.Pruning.Gates;
using Sweep.Pruning.Optimization;

namespace Sweep.Pruning.Training;

/// <summary>
/// Every option of one training trial. The same names are used by `sweep train` flags and by sweep
/// specs (as factors of a grid), through <see cref="FromSettings"/> / <see cref="ToSettings"/>.
/// Contract for the algorithm implementation: fields may be added, names must stay stable.
/// </summary>
public sealed record TrainingOptions
{
    public static readonly IReadOnlyList<string> Architectures = ["lenet300-100", "lenet5-caffe"];
    public static readonly IReadOnlyList<string> Initializations =
        ["kaiming-uniform", "kaiming-normal", "xavier-uniform", "xavier-normal", "orthogonal", "normal-0.1"];
    public static readonly IReadOnlyList<string> Estimators = GateEstimators.Names;
    public static readonly IReadOnlyList<string> Optimizers = ["adam", "sgd"];

    public string Architecture { get; init; } = "lenet300-100";   // "lenet300-100" | "lenet5-caffe"
    public double Width { get; init; } = 1.0;                      // width multiplier k > 0
    public string Init { get; init; } = "kaiming-uniform";
    public int Seed { get; init; }
    public int Epochs { get; init; } = 40;
    public int BatchSize { get; init; } = 100;
    public double LearningRate { get; init; } = 1e-3;
    public double ThetaLearningRate { get; init; } = 2.0;
    public double ParameterCost { get; init; } = 0.03;            // c, per parameter
    public double FlopCost { get; init; }                          // c_f, per thousand multiply-adds
    public string Estimator { get; init; } = "exact";
    public string Prior { get; init; } = "flattening";             // "flattening" | "fixed:PI"
    public int? TrainLimit { get; init; }                           // first N training examples only

    /// <summary>
    /// The last N images of the training file are held out as a validation split: never trained on,
    /// evaluated every epoch, so settings are chosen on validation error and the test set is only reported.
    /// 0: no validation split.
    /// </summary>
    public int Validation { get; init; }
    public int Threads { get; init; } = 1;

    /// <summary>Weight optimizer: "adam" or "sgd" (momentum 0.9).</summary>
    public string Optimizer { get; init; } = "adam";

    /// <summary>Weight learning-rate schedule: "none" or "step:F1,F2,..." (x0.1 at each fraction of the run).</summary>
    public string LearningRateSchedule { get; init; } = "step:0.6,0.85";

    /// <summary>Gate learning-rate schedule, same syntax as <see cref="LearningRateSchedule"/>.</summary>
    public string ThetaLearningRateSchedule { get; init; } = "none";

    /// <summary>Standard deviation of the slab: kept weights decay as theta_g w_g / (N sigma1^2).</summary>
    public double Sigma1 { get; init; } = 0.1;

    /// <summary>Initial gate parameter of every group (1: start from the full deterministic network).</summary>
    public double InitialTheta { get; init; } = 1.0;

    /// <summary>Prune threshold: a group is pruned once theta &lt;= tau (0: only when the projection puts it at 0).</summary>
    public double PruneThreshold { get; init; }

    /// <summary>Physical compaction runs at most every this many steps, and at each epoch end.</summary>
    public int CompactEvery { get; init; } = 100;

    /// <summary>Per gated layer multipliers of <see cref="ParameterCost"/>; empty means all 1.</summary>
    public IReadOnlyList<double> CostMultipliers { get; init; } = [];

    /// <summary>Per gated layer multipliers of <see cref="FlopCost"/>; empty means all 1.</summary>
    public IReadOnlyList<double> FlopCostMultipliers { get; init; } = [];

    /// <summary>`exact` estimator: at most this many groups per layer evaluated per step (random subset, rescaled); 0 = all.</summary>
    public int ExactMaxGroups { get; init; }

    /// <summary>Gate the input features too, one gate per pixel owning no parameters (fully connected architectures only).</summary>
    public bool InputGates { get; init; }

    /// <summary>Tolerance for the "undecided" count: tolerance &lt; theta &lt; 1 - tolerance.</summary>
    public double UndecidedTolerance { get; init; } = 0.05;

    /// <summary>True for the fixed-prior ablation ("fixed:PI").</summary>
    public bool HasFixedPrior => Prior.StartsWith("fixed:", StringComparison.Ordinal);

    /// <summary>PI of the fixed prior; NaN under the flattening hyper-prior.</summary>
    public double FixedPriorPi =>
        HasFixedPrior && double.TryParse(Prior.AsSpan(6), NumberStyles.Float, CultureInfo.InvariantCulture, out var pi) ? pi : double.NaN;

    /// <summary>The kebab-case names accepted by <see cref="FromSettings"/>, the same as `sweep train`'s flags.</summary>
    public static readonly IReadOnlyList<string> SettingNames =
    [
        "arch", "width", "init", "seed", "epochs", "batch-size", "lr", "lr-theta", "cost", "flop-cost",
        "estimator", "prior", "train-limit", "validation", "threads", "optimizer", "lr-schedule", "lr-theta-schedule",
        "sigma1", "theta0", "tau", "compact-every", "cost-multipliers", "flop-cost-multipliers",
        "exact-max-groups", "undecided-tolerance", "input-gates",
    ];

    /// <summary>
    /// Options from kebab-case settings (sweep spec factors, CLI flags); missing names keep their
    /// defaults. Throws <see cref="ArgumentException"/> naming the setting for unknown names,
    /// unparsable values and invalid values (it calls <see cref="Validate"/>).
    /// </summary>
    public static TrainingOptions FromSettings(IReadOnlyDictionary<string, string> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var o = new TrainingOptions();
        foreach (var (rawKey, rawValue) in settings)
        {
            var key = rawKey.Trim().TrimStart('-').ToLowerInvariant();
            var value = (rawValue ?? string.Empty).Trim();
            o = key switch
            {
                "arch" or "architecture" => o with { Architecture = value.ToLowerInvariant() },
                "width" => o with { Width = ParseDouble(key, value) },
                "init" => o with { Init = value.ToLowerInvariant() },
                "seed" => o with { Seed = ParseInt(key, value) },
                "epochs" => o with { Epochs = ParseInt(key, value) },
                "batch-size" => o with { BatchSize = ParseInt(key, value) },
                "lr" => o with { LearningRate = ParseDouble(key, value) },
                "lr-theta" => o with { ThetaLearningRate = ParseDouble(key, value) },
                "cost" => o with { ParameterCost = ParseDouble(key, value) },
                "flop-cost" => o with { FlopCost = ParseDouble(key, value) },
                "estimator" => o with { Estimator = value.ToLowerInvariant() },
                "prior" => o with { Prior = value.ToLowerInvariant() },
                "train-limit" => o with { TrainLimit = value.Length == 0 || value == "none" ? null : ParseInt(key, value) },
                "validation" => o with { Validation = value.Length == 0 || value == "none" ? 0 : ParseInt(key, value) },
                "threads" => o with { Threads = ParseInt(key, value) },
                "optimizer" => o with { Optimizer = value.ToLowerInvariant() },
                "lr-schedule" => o with { LearningRateSchedule = value.ToLowerInvariant() },
                "lr-theta-schedule" => o with { ThetaLearningRateSchedule = value.ToLowerInvariant() },
                "sigma1" => o with { Sigma1 = ParseDouble(key, value) },
                "theta0" => o with { InitialTheta = ParseDouble(key, value) },
                "tau" => o with { PruneThreshold = ParseDouble(key, value) },
                "compact-every" => o with { CompactEvery = ParseInt(key, value) },
                "cost-multipliers" => o with { CostMultipliers = ParseList(key, value) },
                "flop-cost-multipliers" => o with { FlopCostMultipliers = ParseList(key, value) },
                "exact-max-groups" => o with { ExactMaxGroups = ParseInt(key, value) },
                "undecided-tolerance" => o with { UndecidedTolerance = ParseDouble(key, value) },
                "input-gates" => o with { InputGates = ParseBool(key, value) },
                _ => throw new ArgumentException(
                    $"Unknown training option '{rawKey}'. Known options: {string.Join(", ", SettingNames)}.", nameof(settings)),
            };
        }
        o.Validate();
        return o;
    }

    /// <summary>Every option as kebab-case settings; <see cref="FromSettings"/> of the result gives back an equal record.</summary>
    public IReadOnlyDictionary<string, string> ToSettings()
    {
        var s = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["arch"] = Architecture,
            ["width"] = Format(Width),
            ["init"] = Init,
            ["seed"] = Seed.ToString(CultureInfo.InvariantCulture),
            ["epochs"] = Epochs.ToString(CultureInfo.InvariantCulture),
            ["batch-size"] = BatchSize.ToString(CultureInfo.InvariantCulture),
            ["lr"] = Format(LearningRate),
            ["lr-theta"] = Format(ThetaLearningRate),
            ["cost"] = Format(ParameterCost),
            ["flop-cost"] = Format(FlopCost),
            ["estimator"] = Estimator,
            ["prior"] = Prior,
            ["threads"] = Threads.ToString(CultureInfo.InvariantCulture),
            ["optimizer"] = Optimizer,
            ["lr-schedule"] = LearningRateSchedule,
            ["lr-theta-schedule"] = ThetaLearningRateSchedule,
            ["sigma1"] = Format(Sigma1),
            ["theta0"] = Format(InitialTheta),
            ["tau"] = Format(PruneThreshold),
            ["compact-every"] = CompactEvery.ToString(CultureInfo.InvariantCulture),
            ["cost-multipliers"] = string.Join(",", CostMultipliers.Select(Format)),
            ["flop-cost-multipliers"] = string.Join(",", FlopCostMultipliers.Select(Format)),
            ["exact-max-groups"] = ExactMaxGroups.ToString(CultureInfo.InvariantCulture),
            ["undecided-tolerance"] = Format(UndecidedTolerance),
            ["input-gates"] = InputGates ? "true" : "false",
        };
        if (TrainLimit is { } limit)
        {
            s["train-limit"] = limit.ToString(CultureInfo.InvariantCulture);
        }
        if (Validation > 0)
        {
            // Only when set, so that the settings (and checkpoints) of runs without a split stay as they were.
            s["validation"] = Validation.ToString(CultureInfo.InvariantCulture);
        }
        return s;
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid option and its value.</summary>
    public void Validate()
    {
        Require(Architectures.Contains(Architecture), "arch", Architecture, $"one of {string.Join(", ", Architectures)}");
        Require(double.IsFinite(Width) && Width > 0, "width", Width, "a positive number (width multiplier k)");
        Require(Initializations.Contains(Init), "init", Init, $"one of {string.Join(", ", Initializations)}");
        Require(Epochs >= 1, "epochs", Epochs, "at least 1");
        Require(BatchSize >= 1, "batch-size", BatchSize, "at least 1");
        Require(double.IsFinite(LearningRate) && LearningRate > 0, "lr", LearningRate, "a positive number");
        Require(double.IsFinite(ThetaLearningRate) && ThetaLearningRate >= 0, "lr-theta", ThetaLearningRate, "a non-negative number");
        Require(double.IsFinite(ParameterCost) && ParameterCost >= 0, "cost", ParameterCost, "a non-negative number");
        Require(double.IsFinite(FlopCost) && FlopCost >= 0, "flop-cost", FlopCost, "a non-negative number");
        Require(Estimators.Contains(Estimator), "estimator", Estimator, $"one of {string.Join(", ", Estimators)}");
        if (Prior != "flattening")
        {
            var pi = FixedPriorPi;
            Require(HasFixedPrior && pi > 0 && pi < 1, "prior", Prior, "'flattening' or 'fixed:PI' with 0 < PI < 1");
        }
        Require(TrainLimit is null or >= 1, "train-limit", TrainLimit, "at least 1");
        Require(Validation >= 0, "validation", Validation, "0 (no validation split) or a positive count of held-out training images");
        Require(Threads >= 1, "threads", Threads, "at least 1");
        Require(Optimizers.Contains(Optimizer), "optimizer", Optimizer, $"one of {string.Join(", ", Optimizers)}");
        Require(Schedule.TryParse(LearningRateSchedule, out _), "lr-schedule", LearningRateSchedule, "'none' or 'step:F1,F2,...' with fractions in (0, 1)");
        Require(Schedule.TryParse(ThetaLearningRateSchedule, out _), "lr-theta-schedule", ThetaLearningRateSchedule, "'none' or 'step:F1,F2,...' with fractions in (0, 1)");
        Require(double.IsFinite(Sigma1) && Sigma1 > 0, "sigma1", Sigma1, "a positive number");
        Require(InitialTheta > 0 && InitialTheta <= 1, "theta0", InitialTheta, "in (0, 1]");
        Require(PruneThreshold >= 0 && PruneThreshold < 0.5, "tau", PruneThreshold, "in [0, 0.5)");
        Require(CompactEvery >= 1, "compact-every", CompactEvery, "at least 1");
        Require(CostMultipliers.All(m => double.IsFinite(m) && m >= 0), "cost-multipliers", string.Join(",", CostMultipliers), "non-negative numbers, one per gated layer");
        Require(FlopCostMultipliers.All(m => double.IsFinite(m) && m >= 0), "flop-cost-multipliers", string.Join(",", FlopCostMultipliers), "non-negative numbers, one per gated layer");
        Require(!InputGates || Architecture == "lenet300-100", "input-gates", InputGates, "false for architectures that start with a convolution");
        var gatedLayers = (Architecture == "lenet5-caffe" ? 3 : 2) + (InputGates ? 1 : 0);
        Require(CostMultipliers.Count is 0 || CostMultipliers.Count == gatedLayers, "cost-multipliers", string.Join(",", CostMultipliers), $"{gatedLayers} values for {Architecture}");
        Require(FlopCostMultipliers.Count is 0 || FlopCostMultipliers.Count == gatedLayers, "flop-cost-multipliers", string.Join(",", FlopCostMultipliers), $"{gatedLayers} values for {Architecture}");
        Require(ExactMaxGroups >= 0, "exact-max-groups", ExactMaxGroups, "0 (all groups) or a positive count");
        Require(UndecidedTolerance > 0 && UndecidedTolerance < 0.5, "undecided-tolerance", UndecidedTolerance, "in (0, 0.5)");
    }

    private static void Require(bool condition, string name, object? value, string expected)
    {
        if (!condition)
        {
            throw new ArgumentException($"Invalid training option {name} = '{Convert.ToString(value, CultureInfo.InvariantCulture)}': expected {expected}.", name);
        }
    }

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static double ParseDouble(string key, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
            ? d
            : throw new ArgumentException($"Invalid training option {key} = '{value}': expected a number.", key);

    private static int ParseInt(string key, string value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i)
            ? i
            : throw new ArgumentException($"Invalid training option {key} = '{value}': expected an integer.", key);

    private static bool ParseBool(string key, string value) => value.ToLowerInvariant() switch
    {
        "true" or "1" or "yes" or "on" => true,
        "false" or "0" or "no" or "off" => false,
        _ => throw new ArgumentException($"Invalid training option {key} = '{value}': expected true or false.", key),
    };

    private static double[] ParseList(string key, string value) =>
        value.Length == 0 ? [] : value.Split(',').Select(part => ParseDouble(key, part.Trim())).ToArray();

    public bool Equals(TrainingOptions? other) =>
        other is not null && ToSettings().SequenceEqual(other.ToSettings());

    public override int GetHashCode() => string.Join(";", ToSettings().Select(kv => kv.Key + "=" + kv.Value)).GetHashCode(StringComparison.Ordinal);
}
