using Sweep.Grains.Abstractions.Reports;
using Sweep.Grains.Abstractions.Specs;
using Sweep.Grains.Abstractions.Trials;
using Schema = Sweep.Options.TrialOptionSchema;

namespace Sweep.Analysis;

/// <summary>
/// The statistics of one group (trials sharing every option but seed, init and width): per layer
/// and quantity the mean with its interval overall and per factor level, failures counted and
/// excluded, the effect of each factor, and the claims.
/// </summary>
public static class GroupAnalysis
{
    public static RobustnessGroup Build(TrialResult[] trials, string[] varied, SweepSpec? spec, VerdictCriteria criteria, bool provisional)
    {
        var configuration = TrialFactors.Configuration(trials[0].Settings);
        var architecture = configuration.GetValueOrDefault(Schema.Architecture.Name, "");
        var prior = configuration[Schema.Prior.Name];
        var label = string.Join(' ', new[] { $"arch={architecture}", $"prior={prior}" }
            .Concat(varied.Select(k => $"{k}={configuration.GetValueOrDefault(k, "(default)")}")));
        var completed = trials.Where(t => t.State == TrialState.Completed).ToArray();
        var failed = trials.Where(t => t.State == TrialState.Failed).ToArray();
        var confidence = criteria.Confidence;

        var layerNames = completed.FirstOrDefault()?.LayerNames ?? [];
        var layers = new List<LayerRobustness>();
        var effects = new List<FactorEffect>();
        for (var i = 0; i < layerNames.Count; i++)
        {
            var layer = i;
            var withLayer = completed.Where(t => t.FinalWidths.Count > layer && t.InitialWidths.Count > layer).ToArray();
            layers.Add(new LayerRobustness
            {
                Layer = layerNames[layer],
                FinalWidth = Metric(withLayer, t => t.FinalWidths[layer], confidence),
                InitialWidth = Metric(withLayer, t => t.InitialWidths[layer], confidence),
            });
            Effects(effects, $"{layerNames[layer]} final width", withLayer, t => t.FinalWidths[layer], confidence);
        }
        Effects(effects, "test error", completed, t => t.TestError, confidence);

        var (maxTestError, source) = VerdictDefaults.MaxTestError(spec, criteria, architecture);
        return new RobustnessGroup
        {
            Label = label,
            Architecture = architecture,
            Prior = prior,
            Configuration = new Dictionary<string, string>(configuration, StringComparer.Ordinal),
            CompletedTrials = completed.Length,
            FailedTrials = failed.Length,
            Seeds = Levels(trials, TrialFactors.Seed),
            Inits = Levels(trials, TrialFactors.Init),
            Widths = Levels(trials, TrialFactors.Width),
            Layers = layers,
            Parameters = Metric(completed, t => t.Parameters, confidence),
            Flops = Metric(completed, t => t.Flops, confidence),
            ParametersKept = Metric(completed, t => t.ParametersFraction, confidence),
            FlopsKept = Metric(completed, t => t.FlopsFraction, confidence),
            TestError = Metric(completed, t => t.TestError, confidence),
            ValidationError = completed.Any(t => t.ValidationError is not null)
                ? Metric(completed.Where(t => t.ValidationError is not null).ToArray(), t => t.ValidationError!.Value, confidence)
                : null,
            Undecided = Metric(completed, t => t.Undecided, confidence),
            UndecidedTolerant = Metric(completed, t => t.UndecidedTolerant, confidence),
            Verdicts = ClaimJudge.Judge(trials, criteria, maxTestError, source, provisional),
            FailureReasons = failed.GroupBy(t => t.FailureReason ?? "failed", StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
            MethodFailures = FailureCounts.Rates(trials, confidence),
            ExcludedFailures = FailureCounts.Excluded(trials),
            Effects = effects,
        };
    }

    private static void Effects(List<FactorEffect> effects, string metric, TrialResult[] trials, Func<TrialResult, double> value, double confidence)
    {
        foreach (var (factor, block) in new[] { (TrialFactors.Init, TrialFactors.Width), (TrialFactors.Width, TrialFactors.Init) })
        {
            if (FactorEffects.Decompose(metric, factor, block, trials, value, confidence) is { } effect)
            {
                effects.Add(effect);
            }
        }
    }

    private static MetricRobustness Metric(TrialResult[] trials, Func<TrialResult, double> value, double confidence) => new()
    {
        Overall = SampleStatistics.Summarize(trials.Select(value).ToArray(), confidence),
        BySeed = ByLevel(trials, TrialFactors.Seed, value, confidence),
        ByInit = ByLevel(trials, TrialFactors.Init, value, confidence),
        ByWidth = ByLevel(trials, TrialFactors.Width, value, confidence),
    };

    private static LevelSummary[] ByLevel(TrialResult[] trials, string factor, Func<TrialResult, double> value, double confidence) =>
        TrialFactors.OrderLevels(trials.GroupBy(t => TrialFactors.Level(t, factor), StringComparer.Ordinal), g => g.Key)
            .Select(g => new LevelSummary { Level = g.Key, Summary = SampleStatistics.Summarize(g.Select(value).ToArray(), confidence) })
            .ToArray();

    private static string[] Levels(TrialResult[] trials, string factor) =>
        TrialFactors.OrderLevels(trials.Select(t => TrialFactors.Level(t, factor)).Distinct(StringComparer.Ordinal), l => l).ToArray();
}
