namespace Sweep.Grains.Abstractions.Specs;

/// <summary>
/// The training options a sweep spec may set or vary: the names of `sweep train`'s flags and of
/// Pruning's TrainingOptions.FromSettings, with kinds and ranges so that a spec is checked where no
/// trainer is loaded (the client). The silo checks every trial again with the trainer's own validation.
/// </summary>
public static class TrialOptionCatalog
{
    public const string Architecture = "arch";
    public const string Width = "width";
    public const string Init = "init";
    public const string Seed = "seed";
    public const string Epochs = "epochs";
    public const string BatchSize = "batch-size";
    public const string Prior = "prior";
    public const string Threads = "threads";

    /// <summary>Default prior when a trial does not set one.</summary>
    public const string DefaultPrior = "flattening";

    public const string Validation = "validation";

    /// <summary>Default epochs when a spec does not set them: the trainer's default (TrainingOptions.Epochs).</summary>
    public const int DefaultEpochs = 40;

    /// <summary>
    /// Training images held out for validation when a sweep on a known dataset does not set `validation`:
    /// settings are chosen on validation error, test error is only reported. Directory datasets, whose
    /// size the client does not know, get no split unless the spec sets one.
    /// </summary>
    public const int DefaultSweepValidation = 10_000;

    /// <summary>Options a spec may not set: the silo decides them.</summary>
    public static IReadOnlyDictionary<string, string> Reserved { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [Threads] = "threads per trial is a property of the silo (Sweep:TrialRunner:ThreadsPerTrial), not of a trial",
    };

    public static IReadOnlyList<TrialOption> All { get; } =
    [
        new(Architecture, TrialOptionKind.Choice, "architecture") { Choices = ["lenet300-100", "lenet5-caffe"] },
        new(Width, TrialOptionKind.Number, "width multiplier k of every hidden layer") { Min = 0, MinExclusive = true, Max = 64 },
        new(Init, TrialOptionKind.Choice, "weight initialization")
        {
            Choices = ["kaiming-uniform", "kaiming-normal", "xavier-uniform", "xavier-normal", "orthogonal", "normal-0.1"],
        },
        new(Seed, TrialOptionKind.WholeNumber, "random seed") { Min = 0 },
        new(Epochs, TrialOptionKind.WholeNumber, "training epochs") { Min = 1, Max = 100_000 },
        new(BatchSize, TrialOptionKind.WholeNumber, "mini-batch size") { Min = 1, Max = 1_000_000 },
        new("lr", TrialOptionKind.Number, "weight learning rate") { Min = 0, MinExclusive = true },
        new("lr-theta", TrialOptionKind.Number, "gate learning rate") { Min = 0 },
        new("cost", TrialOptionKind.Number, "description cost c per kept parameter") { Min = 0 },
        new("flop-cost", TrialOptionKind.Number, "cost per thousand multiply-adds") { Min = 0 },
        new("estimator", TrialOptionKind.Choice, "gate gradient estimator") { Choices = ["exact", "multilinear", "reinforce"] },
        new(Prior, TrialOptionKind.Text, "'flattening' (hyper-prior) or 'fixed:PI' (the ablation)"),
        new("train-limit", TrialOptionKind.WholeNumber, "first N training examples only") { Min = 1 },
        new(Validation, TrialOptionKind.WholeNumber, "last N training images held out as the validation split (0 = none)") { Min = 0 },
        new(Threads, TrialOptionKind.WholeNumber, "libtorch threads per trial") { Min = 1 },
        new("optimizer", TrialOptionKind.Choice, "weight optimizer") { Choices = ["adam", "sgd"] },
        new("lr-schedule", TrialOptionKind.Text, "'none' or 'step:F1,F2,...'"),
        new("lr-theta-schedule", TrialOptionKind.Text, "'none' or 'step:F1,F2,...'"),
        new("sigma1", TrialOptionKind.Number, "slab standard deviation") { Min = 0, MinExclusive = true },
        new("theta0", TrialOptionKind.Number, "initial gate parameter") { Min = 0, MinExclusive = true, Max = 1 },
        new("tau", TrialOptionKind.Number, "prune threshold") { Min = 0, Max = 0.5 },
        new("compact-every", TrialOptionKind.WholeNumber, "steps between compactions") { Min = 1 },
        new("cost-multipliers", TrialOptionKind.NumberList, "per gated layer multipliers of cost"),
        new("flop-cost-multipliers", TrialOptionKind.NumberList, "per gated layer multipliers of flop-cost"),
        new("exact-max-groups", TrialOptionKind.WholeNumber, "groups per layer evaluated by the exact estimator (0 = all)") { Min = 0 },
        new("undecided-tolerance", TrialOptionKind.Number, "tolerance of the undecided count") { Min = 0, MinExclusive = true, Max = 0.5 },
        new("input-gates", TrialOptionKind.Choice, "gate the input pixels (lenet300-100 only)") { Choices = ["false", "true"] },
    ];

    private static readonly Dictionary<string, TrialOption> ByName = All.ToDictionary(o => o.Name, StringComparer.Ordinal);

    public static TrialOption? Find(string name) => ByName.GetValueOrDefault(name);

    /// <summary>Checks and normalizes <paramref name="value"/> for option <paramref name="name"/>; the error names neither (the caller adds the key path).</summary>
    public static (string? Value, string? Error) Normalize(string name, string value)
    {
        if (Reserved.TryGetValue(name, out var why))
        {
            return (null, why);
        }
        if (Find(name) is not { } option)
        {
            return (null, $"unknown option '{name}' (known: {string.Join(", ", All.Select(o => o.Name).Where(n => !Reserved.ContainsKey(n)))})");
        }
        var (normalized, error) = option.Normalize(value);
        if (error is null && name == Prior)
        {
            return NormalizePrior(normalized!);
        }
        return (normalized, error);
    }

    private static (string?, string?) NormalizePrior(string value)
    {
        if (value == DefaultPrior)
        {
            return (value, null);
        }
        if (value.StartsWith("fixed:", StringComparison.Ordinal)
            && double.TryParse(value.AsSpan(6), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var pi)
            && pi is > 0 and < 1)
        {
            return ("fixed:" + pi.ToString("R", System.Globalization.CultureInfo.InvariantCulture), null);
        }
        return (null, $"'{value}' is not a prior: use 'flattening' or 'fixed:PI' with 0 < PI < 1");
    }
}
