using System.ComponentModel;
using System.Globalization;
using Spectre.Console;
using Spectre.Console.Cli;
using Sweep.Pruning.Training;

namespace Sweep.Client.Commands;

/// <summary>
/// Flags of <c>sweep train</c>. Training options use the same kebab-case names as sweep specs; only
/// flags given on the command line are passed on, so <see cref="TrainingOptions"/> keeps its defaults,
/// and <see cref="TrainingOptions.FromSettings"/> validates them (one place for every rule).
/// </summary>
public sealed class TrainSettings : CommandSettings
{
    [CommandOption("--arch <ARCH>")]
    [Description("Architecture: lenet300-100 (default) or lenet5-caffe.")]
    public string? Arch { get; init; }

    [CommandOption("--width <K>")]
    [Description("Width multiplier k of every hidden layer (default 1).")]
    public string? Width { get; init; }

    [CommandOption("--init <NAME>")]
    [Description("kaiming-uniform (default), kaiming-normal, xavier-uniform, xavier-normal, orthogonal, normal-0.1.")]
    public string? Init { get; init; }

    [CommandOption("--seed <S>")]
    [Description("Random seed (default 0). Same seed and threads: identical result.")]
    public string? Seed { get; init; }

    [CommandOption("--epochs <E>")]
    [Description("Epochs (default 40).")]
    public string? Epochs { get; init; }

    [CommandOption("--batch-size <B>")]
    [Description("Mini-batch size (default 100).")]
    public string? BatchSize { get; init; }

    [CommandOption("--lr <X>")]
    [Description("Weight learning rate (default 1e-3).")]
    public string? Lr { get; init; }

    [CommandOption("--lr-theta <X>")]
    [Description("Gate learning rate of projected SGD (default 2).")]
    public string? LrTheta { get; init; }

    [CommandOption("--cost <C>")]
    [Description("Description cost c per parameter of a kept group (default 0.03).")]
    public string? Cost { get; init; }

    [CommandOption("--flop-cost <C>")]
    [Description("Cost c_f per thousand multiply-adds of a kept group (default 0).")]
    public string? FlopCost { get; init; }

    [CommandOption("--estimator <NAME>")]
    [Description("Gate gradient estimator: exact (default), multilinear, reinforce.")]
    public string? Estimator { get; init; }

    [CommandOption("--prior <PRIOR>")]
    [Description("flattening (default) or fixed:PI (the ablation, 0 < PI < 1).")]
    public string? Prior { get; init; }

    [CommandOption("--train-limit <N>")]
    [Description("Use only the first N training examples (quick runs).")]
    public string? TrainLimit { get; init; }

    [CommandOption("--validation <N>")]
    [Description("Hold out the last N training images as a validation split (evaluated every epoch, never trained on). Default: 0 (none).")]
    public string? Validation { get; init; }

    [CommandOption("--threads <T>")]
    [Description("Compute threads (default 1).")]
    public string? Threads { get; init; }

    [CommandOption("--optimizer <NAME>")]
    [Description("Weight optimizer: adam (default) or sgd (momentum 0.9).")]
    public string? Optimizer { get; init; }

    [CommandOption("--lr-schedule <S>")]
    [Description("none or step:F1,F2 (x0.1 at those fractions of the run; default step:0.6,0.85).")]
    public string? LrSchedule { get; init; }

    [CommandOption("--lr-theta-schedule <S>")]
    [Description("Gate learning-rate schedule, same syntax (default none).")]
    public string? LrThetaSchedule { get; init; }

    [CommandOption("--sigma1 <X>")]
    [Description("Slab standard deviation sigma1: kept weights decay as theta w / (N sigma1^2) (default 0.1).")]
    public string? Sigma1 { get; init; }

    [CommandOption("--theta0 <X>")]
    [Description("Initial gate parameter theta0, 0 < theta0 <= 1 (default 1).")]
    public string? Theta0 { get; init; }

    [CommandOption("--tau <X>")]
    [Description("Prune threshold: groups with theta <= tau are removed (default 0).")]
    public string? Tau { get; init; }

    [CommandOption("--compact-every <K>")]
    [Description("Compact at most every K steps, and at each epoch end (default 100).")]
    public string? CompactEvery { get; init; }

    [CommandOption("--cost-multipliers <LIST>")]
    [Description("Per gated layer multipliers of --cost, comma-separated.")]
    public string? CostMultipliers { get; init; }

    [CommandOption("--flop-cost-multipliers <LIST>")]
    [Description("Per gated layer multipliers of --flop-cost, comma-separated.")]
    public string? FlopCostMultipliers { get; init; }

    [CommandOption("--exact-max-groups <N>")]
    [Description("exact estimator: at most N random groups per layer per step (0: all; default 0).")]
    public string? ExactMaxGroups { get; init; }

    [CommandOption("--undecided-tolerance <X>")]
    [Description("Gates within X of 0 or 1 count as decided in the tolerant count (default 0.05).")]
    public string? UndecidedTolerance { get; init; }

    [CommandOption("--input-gates")]
    [Description("Gate the input pixels too (lenet300-100 only); expensive with --estimator exact unless --exact-max-groups is set.")]
    public bool InputGates { get; init; }

    [CommandOption("--data <DIR>")]
    [Description("Directory of the MNIST IDX files (fetched there when missing).")]
    public string? Data { get; init; }

    [CommandOption("--checkpoint <DIR>")]
    [Description("Write a checkpoint to DIR after every epoch.")]
    public string? Checkpoint { get; init; }

    [CommandOption("--resume")]
    [Description("Resume from the checkpoint in --checkpoint DIR when there is one.")]
    public bool Resume { get; init; }

    [CommandOption("--json")]
    [Description("Print exactly one JSON object with the result on stdout (no progress display).")]
    public bool Json { get; init; }

    /// <summary>The training options given as flags, by their setting names.</summary>
    public IReadOnlyDictionary<string, string> TrainingSettings()
    {
        var settings = new Dictionary<string, string>();
        void Add(string name, string? value)
        {
            if (value is not null)
            {
                settings[name] = value;
            }
        }
        Add("arch", Arch);
        Add("width", Width);
        Add("init", Init);
        Add("seed", Seed);
        Add("epochs", Epochs);
        Add("batch-size", BatchSize);
        Add("lr", Lr);
        Add("lr-theta", LrTheta);
        Add("cost", Cost);
        Add("flop-cost", FlopCost);
        Add("estimator", Estimator);
        Add("prior", Prior);
        Add("train-limit", TrainLimit);
        Add("validation", Validation);
        Add("threads", Threads);
        Add("optimizer", Optimizer);
        Add("lr-schedule", LrSchedule);
        Add("lr-theta-schedule", LrThetaSchedule);
        Add("sigma1", Sigma1);
        Add("theta0", Theta0);
        Add("tau", Tau);
        Add("compact-every", CompactEvery);
        Add("cost-multipliers", CostMultipliers);
        Add("flop-cost-multipliers", FlopCostMultipliers);
        Add("exact-max-groups", ExactMaxGroups);
        Add("undecided-tolerance", UndecidedTolerance);
        if (InputGates)
        {
            settings["input-gates"] = "true";
        }
        return settings;
    }

    /// <summary>The validated training options.</summary>
    public TrainingOptions ToOptions() => TrainingOptions.FromSettings(TrainingSettings());

    public override ValidationResult Validate()
    {
        try
        {
            ToOptions();
        }
        catch (ArgumentException ex)
        {
            return ValidationResult.Error(ex.Message.Split(" (Parameter", 2)[0]);
        }
        if (Resume && Checkpoint is null)
        {
            return ValidationResult.Error("--resume needs --checkpoint DIR.");
        }
        if (Checkpoint is not null && File.Exists(Checkpoint))
        {
            return ValidationResult.Error(string.Create(CultureInfo.InvariantCulture, $"--checkpoint {Checkpoint}: is a file, not a directory."));
        }
        return ValidationResult.Success();
    }
}
