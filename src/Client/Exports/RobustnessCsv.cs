using System.Globalization;
using System.Text;
using Sweep.Grains.Abstractions.Reports;

namespace Sweep.Client.Exports;

/// <summary>
/// The robustness table as numbers: one row per group and gated layer (round-trip precision), each
/// quantity with its interval, the failures counted, and per claim the outcome, the missing trials
/// and the decisive adjusted p-value. Empty cells where nothing was measured (never 0).
/// </summary>
public static class RobustnessCsv
{
    private static readonly string[] Statistics = ["mean", "sd", "cv", "min", "max", "count", "ci_low", "ci_high"];

    public static string Write(SweepReport report)
    {
        var header = new List<string> { "group", "architecture", "prior", "completed_trials", "failed_trials", "provisional", "layer" };
        foreach (var metric in new[] { "initial_width", "final_width" })
        {
            header.AddRange(Statistics.Select(s => $"{metric}_{s}"));
        }
        foreach (var metric in new[] { "parameters", "flops", "parameters_kept", "flops_kept", "test_error", "validation_error", "undecided", "undecided_tolerant" })
        {
            header.AddRange(Statistics.Select(s => $"{metric}_{s}"));
        }
        header.AddRange(["method_failures", "method_failure_trials", "method_failure_rate", "method_failure_ci_low", "method_failure_ci_high", "excluded_failures"]);
        foreach (var claim in Claims.All.Select(c => c.Replace('-', '_')))
        {
            header.AddRange([$"verdict_{claim}", $"missing_trials_{claim}", $"p_{claim}"]);
        }
        var text = new StringBuilder().Append(Csv.Line(header)).Append('\n');
        foreach (var group in report.Groups)
        {
            var layers = group.Layers.Count == 0 ? new LayerRobustness?[] { null } : group.Layers.Cast<LayerRobustness?>().ToArray();
            var failures = group.MethodFailures.FirstOrDefault(f => f.Reason == "collapsed or diverged");
            foreach (var layer in layers)
            {
                var row = new List<string?>
                {
                    group.Label, group.Architecture, group.Prior, I(group.CompletedTrials), I(group.FailedTrials), report.Provisional ? "true" : "false", layer?.Layer,
                };
                row.AddRange(Stats(layer?.InitialWidth.Overall));
                row.AddRange(Stats(layer?.FinalWidth.Overall));
                foreach (var metric in new[] { group.Parameters, group.Flops, group.ParametersKept, group.FlopsKept, group.TestError, group.ValidationError, group.Undecided, group.UndecidedTolerant })
                {
                    row.AddRange(Stats(metric?.Overall));
                }
                row.AddRange(failures is null ? [null, null, null, null, null] : [I(failures.Count), I(failures.Trials), D(failures.Rate), D(failures.Lower), D(failures.Upper)]);
                row.Add(group.ExcludedFailures.Count == 0 ? null : string.Join("; ", group.ExcludedFailures.Select(e => $"{e.Key}={e.Value}")));
                foreach (var claim in Claims.All)
                {
                    var verdict = group.Verdicts.FirstOrDefault(v => v.Claim == claim);
                    row.AddRange([verdict?.Verdict.ToString(), verdict is null ? null : I(verdict.MissingTrials), verdict?.PValue is { } p ? D(p) : null]);
                }
                text.Append(Csv.Line(row)).Append('\n');
            }
        }
        return text.ToString();
    }

    /// <summary>The method against its control: one row per comparison and quantity.</summary>
    public static string WriteControl(SweepReport report)
    {
        var header = new List<string> { "method_group", "control_group", "pairs", "unpaired_method", "unpaired_control", "quantity" };
        foreach (var side in new[] { "method", "control", "difference" })
        {
            header.AddRange(Statistics.Select(s => $"{side}_{s}"));
        }
        header.AddRange(["p", "p_holm", "detected", "sentence"]);
        var text = new StringBuilder().Append(Csv.Line(header)).Append('\n');
        foreach (var c in report.Comparisons)
        {
            foreach (var d in c.Differences)
            {
                var row = new List<string?> { c.MethodGroup, c.ControlGroup, I(c.Pairs), I(c.UnpairedMethodTrials), I(c.UnpairedControlTrials), d.Metric };
                row.AddRange(Stats(d.Method));
                row.AddRange(Stats(d.Control));
                row.AddRange(Stats(d.Difference));
                row.AddRange([D(d.PValue), D(d.PValueAdjusted), d.Detected ? "true" : "false", d.Sentence]);
                text.Append(Csv.Line(row)).Append('\n');
            }
        }
        return text.ToString();
    }

    private static IEnumerable<string?> Stats(StatisticSummary? s) =>
        s is null || s.Count == 0 ? Statistics.Select(_ => (string?)null)
        : [D(s.Mean), D(s.StandardDeviation), D(s.CoefficientOfVariation), D(s.Min), D(s.Max), I(s.Count), s.Lower is { } lo ? D(lo) : null, s.Upper is { } hi ? D(hi) : null];

    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);

    private static string D(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
