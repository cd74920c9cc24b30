using Sweep.Grains.Abstractions.Trials;

namespace Sweep.Client.Output;

/// <summary>The per-trial table of `sweep results` and the report: settings that vary, outcome and the per-run metrics.</summary>
public static class TrialsTable
{
    /// <summary>The cell of a metric the trial does not have.</summary>
    public const string NoValue = "-";

    public static TableModel Build(IReadOnlyList<TrialResult> results)
    {
        var varying = results.SelectMany(r => r.Settings.Keys).Distinct(StringComparer.Ordinal)
            .Where(k => results.Select(r => r.Setting(k) ?? "").Distinct(StringComparer.Ordinal).Count() > 1)
            .Order(StringComparer.Ordinal)
            .ToArray();
        var columns = new List<string> { "#", "Grid" };
        columns.AddRange(varying);
        columns.AddRange(["State", "Widths", "Parameters", "FLOPs", "Test error", "Undecided", "Train FLOPs", "Wall"]);
        var rows = results.OrderBy(r => r.Index).Select(r =>
        {
            var row = new List<string> { r.Index.ToString(System.Globalization.CultureInfo.InvariantCulture), r.Grid };
            row.AddRange(varying.Select(k => r.Setting(k) ?? ""));
            if (r.State != TrialState.Completed)
            {
                // A trial that did not complete has no metrics: "-", never a number.
                row.AddRange([r.FailureReason is null ? r.State.ToString() : $"{r.State}: {r.FailureReason}", .. Enumerable.Repeat(NoValue, 7)]);
                return (IReadOnlyList<string>)row;
            }
            row.AddRange(
            [
                r.State.ToString(),
                $"{Numbers.Widths(r.InitialWidths)} → {Numbers.Widths(r.FinalWidths)}",
                $"{Numbers.Compact(r.Parameters)} ({Numbers.Percent(r.ParametersFraction)})",
                $"{Numbers.Compact(r.Flops)} ({Numbers.Percent(r.FlopsFraction)})",
                Numbers.Percent(r.TestError),
                $"{r.Undecided} / {r.UndecidedTolerant}",
                Numbers.Percent(r.TrainFlopsFraction),
                Numbers.Duration(TimeSpan.FromSeconds(r.WallSeconds)),
            ]);
            return row;
        }).ToList();
        return new TableModel("Trials", columns, rows)
        {
            Notes =
            [
                "Widths: gated layers at the start → at the end. Parameters, FLOPs: of the compacted network (forward multiply-adds per example), with the fraction of the starting network.",
                "Undecided: gates strictly between 0 and 1 / beyond the trainer's tolerance. Train FLOPs: training multiply-adds spent against dense training for the same epochs.",
            ],
        };
    }
}
