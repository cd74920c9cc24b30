using System.Globalization;
using Sweep.Grains.Abstractions.Reports;

namespace Sweep.Client.Output;

/// <summary>
/// The robustness table: per group (architecture and prior, plus any other varied option) and per
/// gated layer, the final width mean ± sd and CV with its spread across starting widths and
/// initializations; per group the remaining parameters and FLOPs, the test error mean ± sd, the
/// undecided gates; and the verdict on each claim.
/// </summary>
public static class RobustnessTable
{
    public static TableModel Build(SweepReport report)
    {
        var columns = new[]
        {
            "Group", "Trials", "Layer", "Start width", "Final width (mean ± sd)", "CV", "Spread widths", "Spread inits",
            "Parameters", "FLOPs", "Test error (mean ± sd)", "Undecided (strict / tol.)",
        };
        var rows = new List<IReadOnlyList<string>>();
        var starts = new HashSet<int>();
        foreach (var group in report.Groups)
        {
            starts.Add(rows.Count);
            var trials = group.FailedTrials > 0 ? $"{group.CompletedTrials} ok, {group.FailedTrials} failed" : $"{group.CompletedTrials}";
            var groupCells = new[]
            {
                group.Parameters is { } p ? Numbers.CompactMeanSd(p.Overall) : "",
                group.Flops is { } f ? Numbers.CompactMeanSd(f.Overall) : "",
                group.TestError is { } e ? Numbers.PercentMeanSd(e.Overall) : "",
                Undecided(group),
            };
            if (group.Layers.Count == 0)
            {
                rows.Add([group.Label, trials, "", "", "", "", "", "", .. groupCells]);
                continue;
            }
            for (var l = 0; l < group.Layers.Count; l++)
            {
                var layer = group.Layers[l];
                var first = l == 0;
                rows.Add(
                [
                    first ? group.Label : "",
                    first ? trials : "",
                    layer.Layer,
                    Range(layer.InitialWidth.Overall),
                    Numbers.MeanSd(layer.FinalWidth.Overall),
                    Numbers.Cv(layer.FinalWidth.Overall),
                    Numbers.Percent(layer.SpreadAcrossWidths),
                    Numbers.Percent(layer.SpreadAcrossInits),
                    .. first ? groupCells : ["", "", "", ""],
                ]);
            }
        }
        return new TableModel("Robustness", columns, rows)
        {
            GroupStarts = starts,
            Notes =
            [
                "sd: sample standard deviation over the group's completed trials; CV = sd / mean.",
                "Spread widths / inits: (largest - smallest mean final width across starting widths / initializations) / their mean.",
                $"Undecided: gates strictly between 0 and 1 at the end / beyond the trainer's tolerance; mean over trials.",
            ],
        };
    }

    public static TableModel BuildVerdicts(SweepReport report)
    {
        var columns = new List<string> { "Group" };
        columns.AddRange(Claims.All);
        var rows = report.Groups.Select(g => (IReadOnlyList<string>)[g.Label, .. Claims.All.Select(c => Cell(g.Verdicts.FirstOrDefault(v => v.Claim == c)))]).ToList();
        var t = report.Thresholds;
        return new TableModel("Verdicts", columns, rows)
        {
            Notes =
            [
                $"deterministic: at most {t.MaxUndecidedGates} gate(s) undecided (tolerant count) in every completed trial.",
                $"init-robust / width-robust: relative spread of each layer's mean final width <= {Numbers.Percent(t.MaxRelativeWidthSpread)} and spread of mean test error <= {Numbers.Percent(t.MaxTestErrorSpread)} across the factor's levels.",
                "accurate: mean test error <= " + string.Join(", ", t.MaxTestErrorByArchitecture.Select(a => $"{Numbers.Percent(a.Value)} ({a.Key})")) + $", {Numbers.Percent(t.DefaultMaxTestError)} otherwise.",
            ],
        };
    }

    /// <summary>Every verdict's detail line, per group.</summary>
    public static IReadOnlyList<string> VerdictDetails(SweepReport report) =>
        report.Groups.SelectMany(g => g.Verdicts.Select(v => $"{g.Label}: {v.Claim} {Numbers.VerdictWord(v.Verdict)}: {v.Detail}")).ToArray();

    private static string Cell(ClaimVerdict? verdict)
    {
        if (verdict is null)
        {
            return "not tested";
        }
        var word = Numbers.VerdictWord(verdict.Verdict);
        return verdict is { Measured: { } measured, Threshold: { } threshold }
            ? $"{word} ({Short(measured)} vs {Short(threshold)})"
            : word;
    }

    private static string Short(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);

    private static string Range(StatisticSummary s) =>
        s.Count == 0 ? "" : s.Min == s.Max ? Numbers.Compact(s.Min) : $"{Numbers.Compact(s.Min)}-{Numbers.Compact(s.Max)}";

    private static string Undecided(RobustnessGroup group) =>
        group.Undecided is null && group.UndecidedTolerant is null ? ""
        : $"{(group.Undecided is { } u ? Numbers.Fixed(u.Overall.Mean, 1) : "-")} / {(group.UndecidedTolerant is { } t ? Numbers.Fixed(t.Overall.Mean, 1) : "-")}";
}
