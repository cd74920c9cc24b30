using System.Globalization;
using System.Text;
using Sweep.Grains.Abstractions.Reports;

namespace Sweep.Client.Exports;

/// <summary>The robustness table as numbers: one row per group and gated layer (round-trip precision), verdicts by claim.</summary>
public static class RobustnessCsv
{
    private static readonly string[] Statistics = ["mean", "sd", "cv", "min", "max", "count"];

    public static string Write(SweepReport report)
    {
        var header = new List<string> { "group", "architecture", "prior", "completed_trials", "failed_trials", "layer" };
        foreach (var metric in new[] { "initial_width", "final_width" })
        {
            header.AddRange(Statistics.Select(s => $"{metric}_{s}"));
        }
        header.AddRange(["spread_across_widths", "spread_across_inits"]);
        foreach (var metric in new[] { "parameters", "flops", "test_error", "undecided", "undecided_tolerant" })
        {
            header.AddRange(Statistics.Select(s => $"{metric}_{s}"));
        }
        header.AddRange(Claims.All.Select(c => "verdict_" + c.Replace('-', '_')));
        var text = new StringBuilder().Append(Csv.Line(header)).Append('\n');
        foreach (var group in report.Groups)
        {
            var layers = group.Layers.Count == 0 ? new LayerRobustness?[] { null } : group.Layers.Cast<LayerRobustness?>().ToArray();
            foreach (var layer in layers)
            {
                var row = new List<string?>
                {
                    group.Label, group.Architecture, group.Prior, I(group.CompletedTrials), I(group.FailedTrials), layer?.Layer,
                };
                row.AddRange(Stats(layer?.InitialWidth.Overall));
                row.AddRange(Stats(layer?.FinalWidth.Overall));
                row.Add(layer is null ? null : D(layer.SpreadAcrossWidths));
                row.Add(layer is null ? null : D(layer.SpreadAcrossInits));
                foreach (var metric in new[] { group.Parameters, group.Flops, group.TestError, group.Undecided, group.UndecidedTolerant })
                {
                    row.AddRange(Stats(metric?.Overall));
                }
                row.AddRange(Claims.All.Select(c => group.Verdicts.FirstOrDefault(v => v.Claim == c)?.Verdict.ToString()));
                text.Append(Csv.Line(row)).Append('\n');
            }
        }
        return text.ToString();
    }

    private static IEnumerable<string?> Stats(StatisticSummary? s) =>
        s is null ? Statistics.Select(_ => (string?)null)
        : [D(s.Mean), D(s.StandardDeviation), D(s.CoefficientOfVariation), D(s.Min), D(s.Max), I(s.Count)];

    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);

    private static string D(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
