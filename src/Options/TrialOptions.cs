using S = Sweep.Options.TrialOptionSchema;

namespace Sweep.Options;

/// <summary>
/// Every option of one training trial, typed; the defaults are <see cref="TrialOptionSchema"/>'s.
/// A trial's settings (the canonical invariant strings a spec, the CLI and the persisted grain state
/// carry) become these options through <see cref="Parse"/>, the one parse and check of them all.
/// </summary>
public sealed record TrialOptions
{
    public NetworkArchitecture Architecture { get; init; } = S.Architecture.Default;
    public double Width { get; init; } = S.Width.Default;
    public WeightInit Init { get; init; } = S.Init.Default;
    public int Seed { get; init; } = S.Seed.Default;
    public int Epochs { get; init; } = S.Epochs.Default;
    public int BatchSize { get; init; } = S.BatchSize.Default;
    public double LearningRate { get; init; } = S.LearningRate.Default;
    public double ThetaLearningRate { get; init; } = S.ThetaLearningRate.Default;
    /// <summary>c, per parameter of a kept group (option `cost`).</summary>
    public double ParameterCost { get; init; } = S.ParameterCost.Default;
    /// <summary>c_f, per thousand multiply-adds of a kept group.</summary>
    public double FlopCost { get; init; } = S.FlopCost.Default;
    public GateEstimatorKind Estimator { get; init; } = S.Estimator.Default;
    public Prior Prior { get; init; } = S.Prior.Default;
    /// <summary>First N training examples only; null: all.</summary>
    public int? TrainLimit { get; init; } = S.TrainLimit.Default;
    /// <summary>The last N images of the training file held out as the validation split; 0: none.</summary>
    public int Validation { get; init; } = S.Validation.Default;
    public int Threads { get; init; } = S.Threads.Default;
    public WeightOptimizerKind Optimizer { get; init; } = S.Optimizer.Default;
    public LearningRateSchedule LearningRateSchedule { get; init; } = S.LearningRateSchedule.Default;
    public LearningRateSchedule ThetaLearningRateSchedule { get; init; } = S.ThetaLearningRateSchedule.Default;
    public double Sigma1 { get; init; } = S.Sigma1.Default;
    /// <summary>theta0 of every group.</summary>
    public double InitialTheta { get; init; } = S.InitialTheta.Default;
    /// <summary>tau: a group is pruned once theta &lt;= tau.</summary>
    public double PruneThreshold { get; init; } = S.PruneThreshold.Default;
    public int CompactEvery { get; init; } = S.CompactEvery.Default;
    public IReadOnlyList<double> CostMultipliers { get; init; } = S.CostMultipliers.Default;
    public IReadOnlyList<double> FlopCostMultipliers { get; init; } = S.FlopCostMultipliers.Default;
    public int ExactMaxGroups { get; init; } = S.ExactMaxGroups.Default;
    public int ExactExamples { get; init; } = S.ExactExamples.Default;
    /// <summary>Epochs (from the first) in which <see cref="ExactExamples"/> applies; 0: every epoch.</summary>
    public int ExactExamplesEpochs { get; init; } = S.ExactExamplesEpochs.Default;
    public double UndecidedTolerance { get; init; } = S.UndecidedTolerance.Default;
    public bool InputGates { get; init; } = S.InputGates.Default;

    /// <summary>
    /// Reads and checks <paramref name="settings"/> (option name to text); options left out keep their
    /// defaults. Returns the options, or every error, each naming the option and the value.
    /// </summary>
    public static OptionsParse Parse(IReadOnlyDictionary<string, string> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var options = new TrialOptions();
        var errors = new List<OptionError>();
        foreach (var (rawKey, rawValue) in settings)
        {
            var value = rawValue ?? "";
            if (S.Find(rawKey.Trim().TrimStart('-').ToLowerInvariant()) is not { } option)
            {
                errors.Add(new(rawKey, value, S.Unknown(rawKey)));
            }
            else if (option.ReadInto(ref options, value) is { } error)
            {
                errors.Add(new(option.Name, value, error));
            }
        }
        if (errors.Count == 0)
        {
            errors.AddRange(options.Combinations());
        }
        return errors.Count == 0 ? new(options, []) : new(null, errors);
    }

    /// <summary><see cref="Parse"/>, throwing an <see cref="ArgumentException"/> whose parameter is the first refused option.</summary>
    public static TrialOptions FromSettings(IReadOnlyDictionary<string, string> settings)
    {
        var parse = Parse(settings);
        return parse.Options ?? throw new ArgumentException(string.Join(" ", parse.Errors), parse.Errors[0].Option);
    }

    /// <summary>The canonical settings; <see cref="Parse"/> of them gives back equal options.</summary>
    public IReadOnlyDictionary<string, string> ToSettings()
    {
        var settings = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var option in S.All)
        {
            if (option.TextIn(this) is { } text)
            {
                settings[option.Name] = text;
            }
        }
        return settings;
    }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first invalid option of options built in code.</summary>
    public void Validate() => FromSettings(ToSettings());

    /// <summary>The checks that involve more than one option.</summary>
    private IEnumerable<OptionError> Combinations()
    {
        var arch = S.Architecture.Format(Architecture);
        if (InputGates && !S.StartsFullyConnected(Architecture))
        {
            yield return new(S.InputGates.Name, "true", $"must be false: {arch} starts with a convolution");
        }
        if (ExactExamples > BatchSize)
        {
            yield return new(S.ExactExamples.Name, S.ExactExamples.Format(ExactExamples), $"must be at most batch-size ({BatchSize}): the flips are computed on examples of each batch");
        }
        foreach (var (option, value) in new[] { (S.ExactExamples, ExactExamples), (S.ExactMaxGroups, ExactMaxGroups) })
        {
            if (value != 0 && Estimator != GateEstimatorKind.Exact)
            {
                yield return new(option.Name, option.Format(value), $"applies to the exact estimator only (estimator is {S.Estimator.Format(Estimator)})");
            }
        }
        if (ExactExamplesEpochs != 0 && ExactExamples == 0)
        {
            yield return new(S.ExactExamplesEpochs.Name, S.ExactExamplesEpochs.Format(ExactExamplesEpochs), "needs exact-examples: it says in how many first epochs exact-examples applies");
        }
        var layers = S.GatedLayers(Architecture, InputGates);
        foreach (var (option, list) in new[] { (S.CostMultipliers, CostMultipliers), (S.FlopCostMultipliers, FlopCostMultipliers) })
        {
            if (list.Count is not 0 && list.Count != layers)
            {
                yield return new(option.Name, option.Format(list), $"expected {layers} values for {arch} (one per gated layer)");
            }
        }
    }

    public bool Equals(TrialOptions? other) => other is not null && ToSettings().SequenceEqual(other.ToSettings());

    public override int GetHashCode() => string.Join(";", ToSettings().Select(kv => kv.Key + "=" + kv.Value)).GetHashCode(StringComparison.Ordinal);
}
