using static Sweep.Options.OptionReaders;

namespace Sweep.Options;

/// <summary>
/// The one table of trial options. The spec validator, `sweep train`'s flags and --help, the JSON
/// and CSV fields, the analysis' factor defaults and the trainer's <see cref="TrialOptions"/> all
/// read it; a default lives here and nowhere else.
/// </summary>
public static class TrialOptionSchema
{
    private static readonly (string, NetworkArchitecture)[] ArchitectureNames =
        [("lenet300-100", NetworkArchitecture.LeNet300100), ("lenet5-caffe", NetworkArchitecture.LeNet5Caffe)];

    private static readonly (string, WeightInit)[] InitNames =
    [
        ("kaiming-uniform", WeightInit.KaimingUniform), ("kaiming-normal", WeightInit.KaimingNormal), ("xavier-uniform", WeightInit.XavierUniform),
        ("xavier-normal", WeightInit.XavierNormal), ("orthogonal", WeightInit.Orthogonal), ("normal-0.1", WeightInit.Normal01),
    ];

    private static readonly (string, GateEstimatorKind)[] EstimatorNames =
        [("exact", GateEstimatorKind.Exact), ("multilinear", GateEstimatorKind.Multilinear), ("reinforce", GateEstimatorKind.Reinforce)];

    private static readonly (string, WeightOptimizerKind)[] OptimizerNames = [("adam", WeightOptimizerKind.Adam), ("sgd", WeightOptimizerKind.Sgd)];

    private static readonly NumberRange Positive = new(0, MinExclusive: true);
    private static readonly NumberRange NonNegative = new(0);
    private static readonly NumberRange AtLeastOne = new(1);
    private static readonly NumberRange WidthRange = new(0, MinExclusive: true, Max: 64);
    private static readonly NumberRange EpochsRange = new(1, Max: 100_000);
    private static readonly NumberRange BatchRange = new(1, Max: 1_000_000);
    private static readonly NumberRange ThetaRange = new(0, MinExclusive: true, Max: 1);
    private static readonly NumberRange TauRange = new(0, Max: 0.5, MaxExclusive: true);
    private static readonly NumberRange ToleranceRange = new(0, MinExclusive: true, Max: 0.5, MaxExclusive: true);

    public static readonly TypedOption<NetworkArchitecture> Architecture = new(
        "arch", OptionKind.Choice, "Architecture of the network.", NetworkArchitecture.LeNet300100,
        Choice("arch", ArchitectureNames), ChoiceName(ArchitectureNames), o => o.Architecture, (o, v) => o with { Architecture = v }, Names(ArchitectureNames))
    { JsonField = "arch", ValueName = "ARCH" };

    public static readonly TypedOption<double> Width = new(
        "width", OptionKind.Number, "Width multiplier k of every hidden layer.", 1.0,
        ReadNumber(WidthRange), Number, o => o.Width, (o, v) => o with { Width = v })
    { IsFactor = true, JsonField = "width", ValueName = "K", Range = WidthRange };

    public static readonly TypedOption<WeightInit> Init = new(
        "init", OptionKind.Choice, "Weight initialization.", WeightInit.KaimingUniform,
        Choice("init", InitNames), ChoiceName(InitNames), o => o.Init, (o, v) => o with { Init = v }, Names(InitNames))
    { IsFactor = true, JsonField = "init", ValueName = "NAME" };

    public static readonly TypedOption<int> Seed = new(
        "seed", OptionKind.WholeNumber, "Random seed; the same seed and threads give an identical result.", 0,
        ReadWhole(NonNegative), Whole, o => o.Seed, (o, v) => o with { Seed = v })
    { IsFactor = true, JsonField = "seed", ValueName = "S", Range = NonNegative };

    public static readonly TypedOption<int> Epochs = new(
        "epochs", OptionKind.WholeNumber, "Training epochs.", 40,
        ReadWhole(EpochsRange), Whole, o => o.Epochs, (o, v) => o with { Epochs = v })
    { JsonField = "epochs", ValueName = "E", Range = EpochsRange };

    public static readonly TypedOption<int> BatchSize = new(
        "batch-size", OptionKind.WholeNumber, "Mini-batch size.", 100,
        ReadWhole(BatchRange), Whole, o => o.BatchSize, (o, v) => o with { BatchSize = v })
    { ValueName = "B", Range = BatchRange };

    public static readonly TypedOption<double> LearningRate = new(
        "lr", OptionKind.Number, "Weight learning rate.", 1e-3, ReadNumber(Positive), Number, o => o.LearningRate, (o, v) => o with { LearningRate = v })
    { Range = Positive };

    public static readonly TypedOption<double> ThetaLearningRate = new(
        "lr-theta", OptionKind.Number, "Gate learning rate of projected SGD.", 2.0,
        ReadNumber(NonNegative), Number, o => o.ThetaLearningRate, (o, v) => o with { ThetaLearningRate = v })
    { Range = NonNegative };

    public static readonly TypedOption<double> ParameterCost = new(
        "cost", OptionKind.Number, "Description cost c per parameter of a kept group.", 0.03,
        ReadNumber(NonNegative), Number, o => o.ParameterCost, (o, v) => o with { ParameterCost = v })
    { JsonField = "cost", ValueName = "C", Range = NonNegative };

    public static readonly TypedOption<double> FlopCost = new(
        "flop-cost", OptionKind.Number, "Cost c_f per thousand multiply-adds of a kept group.", 0.0,
        ReadNumber(NonNegative), Number, o => o.FlopCost, (o, v) => o with { FlopCost = v })
    { JsonField = "flop_cost", ValueName = "C", Range = NonNegative };

    public static readonly TypedOption<GateEstimatorKind> Estimator = new(
        "estimator", OptionKind.Choice, "Gate gradient estimator.", GateEstimatorKind.Exact,
        Choice("estimator", EstimatorNames), ChoiceName(EstimatorNames), o => o.Estimator, (o, v) => o with { Estimator = v }, Names(EstimatorNames))
    { JsonField = "estimator", ValueName = "NAME" };

    public static readonly TypedOption<Prior> Prior = new(
        "prior", OptionKind.Prior, "flattening (the hyper-prior of the method) or fixed:PI (the ablation, 0 < PI < 1).", Options.Prior.Flattening,
        OptionReaders.Prior, p => p.ToString(), o => o.Prior, (o, v) => o with { Prior = v })
    { JsonField = "prior", ValueName = "PRIOR" };

    public static readonly TypedOption<int?> TrainLimit = new(
        "train-limit", OptionKind.WholeNumber, "Use only the first N training examples (quick runs); none: all.", null,
        ReadOptionalWhole(AtLeastOne), v => v is { } n ? Whole(n) : "none", o => o.TrainLimit, (o, v) => o with { TrainLimit = v })
    { ValueName = "N", Range = AtLeastOne, OmittedAtDefault = true };

    public static readonly TypedOption<int> Validation = new(
        "validation", OptionKind.WholeNumber, "Hold out the last N training images as a validation split, evaluated every epoch and never trained on; 0: none.", 0,
        ReadWhole(NonNegative), Whole, o => o.Validation, (o, v) => o with { Validation = v })
    { ValueName = "N", Range = NonNegative, OmittedAtDefault = true };

    public static readonly TypedOption<int> Threads = new(
        "threads", OptionKind.WholeNumber, "Compute threads of the trial.", 1, ReadWhole(AtLeastOne), Whole, o => o.Threads, (o, v) => o with { Threads = v })
    {
        ValueName = "T", Range = AtLeastOne,
        ReservedReason = "threads per trial is a property of the silo (Sweep:TrialRunner:ThreadsPerTrial), not of a trial",
    };

    public static readonly TypedOption<WeightOptimizerKind> Optimizer = new(
        "optimizer", OptionKind.Choice, "Weight optimizer: adam, or sgd with momentum 0.9.", WeightOptimizerKind.Adam,
        Choice("optimizer", OptimizerNames), ChoiceName(OptimizerNames), o => o.Optimizer, (o, v) => o with { Optimizer = v }, Names(OptimizerNames))
    { ValueName = "NAME" };

    public static readonly TypedOption<LearningRateSchedule> LearningRateSchedule = new(
        "lr-schedule", OptionKind.Schedule, "Weight learning-rate schedule: none, or step:F1,F2 (x0.1 at those fractions of the run).",
        Options.LearningRateSchedule.Step(0.6, 0.85), Schedule, s => s.ToString(), o => o.LearningRateSchedule, (o, v) => o with { LearningRateSchedule = v })
    { ValueName = "S" };

    public static readonly TypedOption<LearningRateSchedule> ThetaLearningRateSchedule = new(
        "lr-theta-schedule", OptionKind.Schedule, "Gate learning-rate schedule, the same syntax as lr-schedule.", Options.LearningRateSchedule.None,
        Schedule, s => s.ToString(), o => o.ThetaLearningRateSchedule, (o, v) => o with { ThetaLearningRateSchedule = v })
    { ValueName = "S" };

    public static readonly TypedOption<double> Sigma1 = new(
        "sigma1", OptionKind.Number, "Slab standard deviation sigma1: kept weights decay as theta w / (N sigma1^2).", 0.1,
        ReadNumber(Positive), Number, o => o.Sigma1, (o, v) => o with { Sigma1 = v })
    { Range = Positive };

    public static readonly TypedOption<double> InitialTheta = new(
        "theta0", OptionKind.Number, "Initial gate parameter theta0 of every group (1: start from the full deterministic network).", 1.0,
        ReadNumber(ThetaRange), Number, o => o.InitialTheta, (o, v) => o with { InitialTheta = v })
    { Range = ThetaRange };

    public static readonly TypedOption<double> PruneThreshold = new(
        "tau", OptionKind.Number, "Prune threshold: groups with theta <= tau are removed (0: only when the projection puts theta at 0).", 0.0,
        ReadNumber(TauRange), Number, o => o.PruneThreshold, (o, v) => o with { PruneThreshold = v })
    { Range = TauRange };

    public static readonly TypedOption<int> CompactEvery = new(
        "compact-every", OptionKind.WholeNumber, "Compact at most every K steps, and at each epoch end.", 100,
        ReadWhole(AtLeastOne), Whole, o => o.CompactEvery, (o, v) => o with { CompactEvery = v })
    { ValueName = "K", Range = AtLeastOne };

    public static readonly TypedOption<IReadOnlyList<double>> CostMultipliers = new(
        "cost-multipliers", OptionKind.NumberList, "Per gated layer multipliers of cost, comma-separated; empty: all 1.", [],
        NumberList, NumberList, o => o.CostMultipliers, (o, v) => o with { CostMultipliers = v })
    { ValueName = "LIST" };

    public static readonly TypedOption<IReadOnlyList<double>> FlopCostMultipliers = new(
        "flop-cost-multipliers", OptionKind.NumberList, "Per gated layer multipliers of flop-cost, comma-separated; empty: all 1.", [],
        NumberList, NumberList, o => o.FlopCostMultipliers, (o, v) => o with { FlopCostMultipliers = v })
    { ValueName = "LIST" };

    public static readonly TypedOption<int> ExactMaxGroups = new(
        "exact-max-groups", OptionKind.WholeNumber, "exact estimator: at most N random groups per layer per step; the others keep their theta that step (0: all).", 0,
        ReadWhole(NonNegative), Whole, o => o.ExactMaxGroups, (o, v) => o with { ExactMaxGroups = v })
    { ValueName = "N", Range = NonNegative };

    public static readonly TypedOption<int> ExactExamples = new(
        "exact-examples", OptionKind.WholeNumber,
        "exact estimator: compute the gate flips on the first N examples of each batch only, an unbiased estimate at N/batch-size of the cost (batches are shuffled; 0: all).", 0,
        ReadWhole(NonNegative), Whole, o => o.ExactExamples, (o, v) => o with { ExactExamples = v })
    { ValueName = "N", Range = NonNegative, OmittedAtDefault = true };

    public static readonly TypedOption<int> ExactExamplesEpochs = new(
        "exact-examples-epochs", OptionKind.WholeNumber,
        "exact estimator: apply exact-examples during the first E epochs only and flip on every example afterwards, when the network is pruned and the flips are cheap (0: every epoch).", 0,
        ReadWhole(NonNegative), Whole, o => o.ExactExamplesEpochs, (o, v) => o with { ExactExamplesEpochs = v })
    { ValueName = "E", Range = NonNegative, OmittedAtDefault = true };

    public static readonly TypedOption<double> UndecidedTolerance = new(
        "undecided-tolerance", OptionKind.Number, "Gates within X of 0 or 1 count as decided in the tolerant count.", 0.05,
        ReadNumber(ToleranceRange), Number, o => o.UndecidedTolerance, (o, v) => o with { UndecidedTolerance = v })
    { Range = ToleranceRange };

    public static readonly TypedOption<bool> InputGates = new(
        "input-gates", OptionKind.Switch, "Gate the input pixels too, one gate per pixel (lenet300-100 only; costly with estimator exact unless exact-max-groups is set).", false,
        Switch, v => v ? "true" : "false", o => o.InputGates, (o, v) => o with { InputGates = v }, ["false", "true"]);

    /// <summary>Every option, in the order of --help.</summary>
    public static IReadOnlyList<TrialOption> All { get; } =
    [
        Architecture, Width, Init, Seed, Epochs, BatchSize, LearningRate, ThetaLearningRate, ParameterCost, FlopCost,
        Estimator, Prior, TrainLimit, Validation, Threads, Optimizer, LearningRateSchedule, ThetaLearningRateSchedule,
        Sigma1, InitialTheta, PruneThreshold, CompactEvery, CostMultipliers, FlopCostMultipliers, ExactMaxGroups, ExactExamples, ExactExamplesEpochs, UndecidedTolerance,
        InputGates,
    ];

    /// <summary>The robustness factors: trials of one group differ only in these.</summary>
    public static IReadOnlyList<TrialOption> Factors { get; } = [.. All.Where(o => o.IsFactor)];

    private static readonly Dictionary<string, TrialOption> ByName = All.ToDictionary(o => o.Name, StringComparer.Ordinal);

    public static TrialOption? Find(string name) => ByName.GetValueOrDefault(name);

    /// <summary>Why <paramref name="name"/> is no option, listing those a spec may set.</summary>
    public static string Unknown(string name) =>
        $"unknown option '{name}' (known: {string.Join(", ", All.Where(o => o.SpecMaySet).Select(o => o.Name))})";

    /// <summary>Gated layers of <paramref name="architecture"/>, the length of a multiplier list (one more with input gates).</summary>
    public static int GatedLayers(NetworkArchitecture architecture, bool inputGates) =>
        (architecture == NetworkArchitecture.LeNet5Caffe ? 3 : 2) + (inputGates ? 1 : 0);

    /// <summary>Whether the first layer of <paramref name="architecture"/> is fully connected (input gates need one).</summary>
    public static bool StartsFullyConnected(NetworkArchitecture architecture) => architecture == NetworkArchitecture.LeNet300100;

    private static string[] Names<T>((string Name, T Value)[] names) => [.. names.Select(n => n.Name)];
}
