using System.Globalization;
using Sweep.Grains.Abstractions.Reports;
using Sweep.Grains.Abstractions.Specs;
using Sweep.Grains.Abstractions.Trials;

namespace Sweep.Analysis;

/// <summary>
/// The robustness study of ALGORITHM.md: trials grouped by every option but the robustness factors
/// (seed, init, width), and per group the statistics of final widths, parameters, FLOPs, test error
/// and undecided gates, overall and per factor level, with a verdict per claim.
/// </summary>
public static class RobustnessAnalysis
{
    public const string SeedFactor = TrialOptionCatalog.Seed;
    public const string InitFactor = TrialOptionCatalog.Init;
    public const string WidthFactor = TrialOptionCatalog.Width;

    private static readonly string[] Factors = [SeedFactor, InitFactor, WidthFactor];

    private static readonly Dictionary<string, string> FactorDefaults = new(StringComparer.Ordinal)
    {
        [SeedFactor] = "0",
        [InitFactor] = "kaiming-uniform",
        [WidthFactor] = "1",
    };

    public static SweepReport Build(string sweepId, string name, int totalTrials, IReadOnlyList<TrialResult> results, RobustnessThresholds thresholds)
    {
        var finished = results.Where(r => r.State is TrialState.Completed or TrialState.Failed).ToArray();
        var byConfiguration = finished.GroupBy(r => ConfigurationKey(r.Settings), StringComparer.Ordinal).ToArray();
        var configurations = byConfiguration.Select(g => Configuration(g.First().Settings)).ToArray();
        var varied = configurations.SelectMany(c => c.Keys).Distinct(StringComparer.Ordinal)
            .Where(k => configurations.Select(c => c.GetValueOrDefault(k)).Distinct(StringComparer.Ordinal).Count() > 1)
            .Where(k => k is not TrialOptionCatalog.Architecture and not TrialOptionCatalog.Prior)
            .OrderBy(k => k, StringComparer.Ordinal)
            .ToArray();
        var groups = byConfiguration.Select(g => BuildGroup(g.ToArray(), varied, thresholds))
            .OrderBy(g => g.Architecture, StringComparer.Ordinal).ThenBy(g => g.Label, StringComparer.Ordinal).ToArray();
        return new SweepReport
        {
            SweepId = sweepId,
            Name = name,
            GeneratedAt = DateTime.UtcNow,
            TotalTrials = totalTrials,
            CompletedTrials = results.Count(r => r.State == TrialState.Completed),
            FailedTrials = results.Count(r => r.State == TrialState.Failed),
            Thresholds = thresholds,
            Groups = groups,
        };
    }

    /// <summary>The value of a robustness factor for a trial (the trainer's default when the sweep does not set it).</summary>
    public static string Level(TrialResult result, string factor) => result.Setting(factor) ?? FactorDefaults[factor];

    private static SortedDictionary<string, string> Configuration(IReadOnlyDictionary<string, string> settings)
    {
        var configuration = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in settings)
        {
            if (!Factors.Contains(key) && key != TrialOptionCatalog.Threads)
            {
                configuration[key] = value;
            }
        }
        configuration.TryAdd(TrialOptionCatalog.Prior, TrialOptionCatalog.DefaultPrior);
        return configuration;
    }

    private static string ConfigurationKey(IReadOnlyDictionary<string, string> settings) =>
        string.Join(';', Configuration(settings).Select(c => $"{c.Key}={c.Value}"));

    private static RobustnessGroup BuildGroup(TrialResult[] trials, string[] varied, RobustnessThresholds thresholds)
    {
        var configuration = Configuration(trials[0].Settings);
        var architecture = configuration.GetValueOrDefault(TrialOptionCatalog.Architecture, "");
        var prior = configuration[TrialOptionCatalog.Prior];
        var label = string.Join(' ', new[] { $"arch={architecture}", $"prior={prior}" }
            .Concat(varied.Select(k => $"{k}={configuration.GetValueOrDefault(k, "(default)")}")));
        var completed = trials.Where(t => t.State == TrialState.Completed).ToArray();
        var failed = trials.Where(t => t.State == TrialState.Failed).ToArray();

        var layerNames = completed.FirstOrDefault()?.LayerNames ?? [];
        var layers = new List<LayerRobustness>();
        for (var i = 0; i < layerNames.Count; i++)
        {
            var layer = i;
            var withLayer = completed.Where(t => t.FinalWidths.Count > layer && t.InitialWidths.Count > layer).ToArray();
            layers.Add(new LayerRobustness
            {
                Layer = layerNames[layer],
                FinalWidth = Metric(withLayer, t => t.FinalWidths[layer]),
                InitialWidth = Metric(withLayer, t => t.InitialWidths[layer]),
                SpreadAcrossWidths = SpreadAcross(withLayer, WidthFactor, InitFactor, t => t.FinalWidths[layer]),
                SpreadAcrossInits = SpreadAcross(withLayer, InitFactor, WidthFactor, t => t.FinalWidths[layer]),
            });
        }

        return new RobustnessGroup
        {
            Label = label,
            Architecture = architecture,
            Prior = prior,
            Configuration = new Dictionary<string, string>(configuration, StringComparer.Ordinal),
            CompletedTrials = completed.Length,
            FailedTrials = failed.Length,
            Seeds = Levels(trials, SeedFactor),
            Inits = Levels(trials, InitFactor),
            Widths = Levels(trials, WidthFactor),
            Layers = layers,
            Parameters = Metric(completed, t => t.Parameters),
            Flops = Metric(completed, t => t.Flops),
            TestError = Metric(completed, t => t.TestError),
            Undecided = Metric(completed, t => t.Undecided),
            UndecidedTolerant = Metric(completed, t => t.UndecidedTolerant),
            Verdicts = Verdicts(completed, architecture, layers, thresholds),
            FailureReasons = failed.GroupBy(t => t.FailureReason ?? "failed", StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
        };
    }

    private static MetricRobustness Metric(TrialResult[] trials, Func<TrialResult, double> value) => new()
    {
        Overall = SampleStatistics.Summarize(trials.Select(value).ToArray()),
        BySeed = ByLevel(trials, SeedFactor, value),
        ByInit = ByLevel(trials, InitFactor, value),
        ByWidth = ByLevel(trials, WidthFactor, value),
    };

    private static LevelSummary[] ByLevel(TrialResult[] trials, string factor, Func<TrialResult, double> value) =>
        OrderLevels(trials.GroupBy(t => Level(t, factor), StringComparer.Ordinal), g => g.Key)
            .Select(g => new LevelSummary { Level = g.Key, Summary = SampleStatistics.Summarize(g.Select(value).ToArray()) })
            .ToArray();

    private static string[] Levels(TrialResult[] trials, string factor) =>
        OrderLevels(trials.Select(t => Level(t, factor)).Distinct(StringComparer.Ordinal), l => l).ToArray();

    private static IEnumerable<T> OrderLevels<T>(IEnumerable<T> items, Func<T, string> level) =>
        items.OrderBy(i => double.TryParse(level(i), NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n : double.MaxValue)
            .ThenBy(i => level(i), StringComparer.Ordinal);

    /// <summary>
    /// The largest relative spread, across the levels of <paramref name="factor"/>, of the mean of
    /// <paramref name="value"/>, computed within each level of <paramref name="within"/> (so that the
    /// other factor does not count as spread).
    /// </summary>
    private static double SpreadAcross(TrialResult[] trials, string factor, string within, Func<TrialResult, double> value) =>
        Comparisons(trials, factor, within).Select(levels => SampleStatistics.RelativeSpread(levels.Select(l => l.Select(value).Average()).ToArray()))
            .DefaultIfEmpty(0).Max();

    private static double ErrorSpreadAcross(TrialResult[] trials, string factor, string within) =>
        Comparisons(trials, factor, within).Select(levels => SampleStatistics.Range(levels.Select(l => l.Average(t => t.TestError)).ToArray()))
            .DefaultIfEmpty(0).Max();

    /// <summary>Per level of <paramref name="within"/> having at least two levels of <paramref name="factor"/>: the trials of each such level.</summary>
    private static IEnumerable<IGrouping<string, TrialResult>[]> Comparisons(TrialResult[] trials, string factor, string within) =>
        trials.GroupBy(t => Level(t, within), StringComparer.Ordinal)
            .Select(slice => slice.GroupBy(t => Level(t, factor), StringComparer.Ordinal).ToArray())
            .Where(levels => levels.Length >= 2);

    private static ClaimVerdict[] Verdicts(TrialResult[] completed, string architecture, List<LayerRobustness> layers, RobustnessThresholds thresholds)
    {
        if (completed.Length == 0)
        {
            return Claims.All.Select(c => new ClaimVerdict { Claim = c, Verdict = Verdict.NotTested, Detail = "no completed trial" }).ToArray();
        }
        var invariant = CultureInfo.InvariantCulture;

        var undecided = completed.Max(t => t.UndecidedTolerant);
        var deterministic = new ClaimVerdict
        {
            Claim = Claims.Deterministic,
            Verdict = undecided <= thresholds.MaxUndecidedGates ? Verdict.Holds : Verdict.Fails,
            Measured = undecided,
            Threshold = thresholds.MaxUndecidedGates,
            Detail = string.Format(invariant, "at most {0} gates undecided (tolerance {1}) at the end of any trial; threshold {2}",
                undecided, completed.Max(t => t.UndecidedTolerance), thresholds.MaxUndecidedGates),
        };

        var maxError = thresholds.MaxTestErrorFor(architecture);
        var meanError = completed.Average(t => t.TestError);
        var accurate = new ClaimVerdict
        {
            Claim = Claims.Accurate,
            Verdict = meanError <= maxError ? Verdict.Holds : Verdict.Fails,
            Measured = meanError,
            Threshold = maxError,
            Detail = string.Format(invariant, "mean test error {0:P2} over {1} trials; threshold {2:P2} for {3}", meanError, completed.Length, maxError, architecture),
        };

        return
        [
            deterministic,
            FactorVerdict(Claims.InitRobust, completed, InitFactor, WidthFactor, layers.Select(l => l.SpreadAcrossInits).DefaultIfEmpty(0).Max(), thresholds),
            FactorVerdict(Claims.WidthRobust, completed, WidthFactor, InitFactor, layers.Select(l => l.SpreadAcrossWidths).DefaultIfEmpty(0).Max(), thresholds),
            accurate,
        ];
    }

    private static ClaimVerdict FactorVerdict(string claim, TrialResult[] completed, string factor, string within, double widthSpread, RobustnessThresholds thresholds)
    {
        if (!Comparisons(completed, factor, within).Any())
        {
            return new ClaimVerdict
            {
                Claim = claim,
                Verdict = Verdict.NotTested,
                Detail = $"needs completed trials at two or more {factor} values sharing a {within}",
            };
        }
        var errorSpread = ErrorSpreadAcross(completed, factor, within);
        var holds = widthSpread <= thresholds.MaxRelativeWidthSpread && errorSpread <= thresholds.MaxTestErrorSpread;
        return new ClaimVerdict
        {
            Claim = claim,
            Verdict = holds ? Verdict.Holds : Verdict.Fails,
            Measured = widthSpread,
            Threshold = thresholds.MaxRelativeWidthSpread,
            Detail = string.Format(CultureInfo.InvariantCulture,
                "largest relative spread of a layer's mean final width across {0} values: {1:P1} (threshold {2:P1}); spread of mean test error: {3:P2} (threshold {4:P2}); compared within each {5}",
                factor, widthSpread, thresholds.MaxRelativeWidthSpread, errorSpread, thresholds.MaxTestErrorSpread, within),
        };
    }
}
