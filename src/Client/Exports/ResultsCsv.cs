using System.Globalization;
using System.Text;
using Sweep.Grains.Abstractions.Trials;

namespace Sweep.Client.Exports;

/// <summary>
/// One row per trial: index, grid, state, every setting (one column per option, named as in the
/// spec), per gated layer its initial and final width and the epoch it reached its final width,
/// then the metrics of docs/ALGORITHM.md, "What a trial reports". Numbers are invariant culture and
/// round-trip exactly ("R"); lists inside a cell are separated by ';'. Per-epoch histories are
/// in the JSON export only.
/// </summary>
public static class ResultsCsv
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private const string InitialWidth = "initial_width_";
    private const string FinalWidth = "final_width_";
    private const string FinalWidthEpoch = "final_width_epoch_";

    private static readonly string[] Leading = ["index", "grid", "state", "failure_reason", "failure_message"];

    private static readonly string[] Metrics =
    [
        "parameters", "parameters_fraction", "flops", "flops_fraction", "validation_error", "test_error", "test_error_mean_net",
        "undecided", "undecided_tolerant", "undecided_tolerance", "train_flops", "train_flops_fraction",
        "wall_seconds", "attempts", "resumed_from_epochs", "silos", "started_at", "finished_at",
    ];

    /// <summary>The leading metrics that only a completed trial has (parameters up to wall_seconds).</summary>
    private const int MeasuredCount = 13;

    public static string Write(IReadOnlyList<TrialResult> results)
    {
        var settings = results.SelectMany(r => r.Settings.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var layers = results.SelectMany(r => r.LayerNames).Distinct(StringComparer.Ordinal).ToArray();
        var header = Leading
            .Concat(settings)
            .Concat(layers.Select(l => InitialWidth + l))
            .Concat(layers.Select(l => FinalWidth + l))
            .Concat(layers.Select(l => FinalWidthEpoch + l))
            .Concat(Metrics);
        var text = new StringBuilder();
        text.Append(Csv.Line(header)).Append('\n');
        foreach (var r in results.OrderBy(r => r.Index))
        {
            var row = new List<string?>
            {
                I(r.Index), r.Grid, r.State.ToString(), r.FailureReason, r.FailureMessage,
            };
            row.AddRange(settings.Select(r.Setting));
            row.AddRange(layers.Select(l => At(r, l, r.InitialWidths)));
            row.AddRange(layers.Select(l => At(r, l, r.FinalWidths)));
            row.AddRange(layers.Select(l => At(r, l, r.EpochFinalWidthReached)));
            // A trial that did not complete has no metrics: empty cells, never 0.
            var measured = r.State == TrialState.Completed;
            row.AddRange(measured
                ? [
                    I(r.Parameters), D(r.ParametersFraction), I(r.Flops), D(r.FlopsFraction), r.ValidationError is { } v ? D(v) : null, D(r.TestError), D(r.TestErrorMeanNet),
                    I(r.Undecided), I(r.UndecidedTolerant), D(r.UndecidedTolerance), D(r.TrainFlops), D(r.TrainFlopsFraction), D(r.WallSeconds),
                ]
                : Enumerable.Repeat<string?>(null, MeasuredCount));
            row.AddRange(
            [
                I(r.Attempts), string.Join(';', r.ResumedFromEpochs.Select(e => I(e))), string.Join(';', r.Silos),
                T(r.StartedAt), T(r.FinishedAt),
            ]);
            text.Append(Csv.Line(row)).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>Reads what <see cref="Write"/> wrote (per-epoch histories are not in the CSV and come back empty).</summary>
    public static IReadOnlyList<TrialResult> Read(string csv)
    {
        var records = Csv.Read(csv);
        if (records.Count == 0)
        {
            return [];
        }
        var header = records[0];
        var column = header.Select((name, i) => (name, i)).ToDictionary(c => c.name, c => c.i, StringComparer.Ordinal);
        var known = new HashSet<string>(Leading.Concat(Metrics), StringComparer.Ordinal);
        var layers = header.Where(h => h.StartsWith(FinalWidth, StringComparison.Ordinal) && !h.StartsWith(FinalWidthEpoch, StringComparison.Ordinal))
            .Select(h => h[FinalWidth.Length..]).ToArray();
        var settings = header.Where(h => !known.Contains(h) && !h.StartsWith(InitialWidth, StringComparison.Ordinal) && !h.StartsWith(FinalWidth, StringComparison.Ordinal)).ToArray();
        var results = new List<TrialResult>();
        foreach (var record in records.Skip(1))
        {
            string Get(string name) => record[column[name]];
            var present = layers.Where(l => Get(FinalWidth + l).Length > 0).ToArray();
            results.Add(new TrialResult
            {
                Index = int.Parse(Get("index"), Invariant),
                Grid = Get("grid"),
                State = Enum.Parse<TrialState>(Get("state")),
                FailureReason = NullIfEmpty(Get("failure_reason")),
                FailureMessage = NullIfEmpty(Get("failure_message")),
                Settings = settings.Where(s => Get(s).Length > 0).ToDictionary(s => s, Get, StringComparer.Ordinal),
                LayerNames = present,
                InitialWidths = present.Select(l => int.Parse(Get(InitialWidth + l), Invariant)).ToArray(),
                FinalWidths = present.Select(l => int.Parse(Get(FinalWidth + l), Invariant)).ToArray(),
                EpochFinalWidthReached = present.Where(l => Get(FinalWidthEpoch + l).Length > 0).Select(l => int.Parse(Get(FinalWidthEpoch + l), Invariant)).ToArray(),
                Parameters = ParseLong(Get("parameters")),
                ParametersFraction = ParseDouble(Get("parameters_fraction")),
                Flops = ParseLong(Get("flops")),
                FlopsFraction = ParseDouble(Get("flops_fraction")),
                ValidationError = Get("validation_error") is { Length: > 0 } validation ? ParseDouble(validation) : null,
                TestError = ParseDouble(Get("test_error")),
                TestErrorMeanNet = ParseDouble(Get("test_error_mean_net")),
                Undecided = (int)ParseLong(Get("undecided")),
                UndecidedTolerant = (int)ParseLong(Get("undecided_tolerant")),
                UndecidedTolerance = ParseDouble(Get("undecided_tolerance")),
                TrainFlops = ParseDouble(Get("train_flops")),
                TrainFlopsFraction = ParseDouble(Get("train_flops_fraction")),
                WallSeconds = ParseDouble(Get("wall_seconds")),
                Attempts = int.Parse(Get("attempts"), Invariant),
                ResumedFromEpochs = Split(Get("resumed_from_epochs")).Select(e => int.Parse(e, Invariant)).ToArray(),
                Silos = Split(Get("silos")),
                StartedAt = DateTime.Parse(Get("started_at"), Invariant, DateTimeStyles.RoundtripKind),
                FinishedAt = DateTime.Parse(Get("finished_at"), Invariant, DateTimeStyles.RoundtripKind),
            });
        }
        return results;
    }

    private static string? At(TrialResult r, string layer, IReadOnlyList<int> values)
    {
        var i = IndexOf(r.LayerNames, layer);
        return i >= 0 && i < values.Count ? I(values[i]) : null;
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (string.Equals(names[i], name, StringComparison.Ordinal))
            {
                return i;
            }
        }
        return -1;
    }

    private static string I(long value) => value.ToString(Invariant);

    private static string D(double value) => value.ToString("R", Invariant);

    private static string T(DateTime value) => value.ToString("O", Invariant);

    // An empty cell is a metric the trial does not have; the record holds 0 there.
    private static double ParseDouble(string text) => text.Length == 0 ? 0 : double.Parse(text, NumberStyles.Float | NumberStyles.AllowThousands, Invariant);

    private static long ParseLong(string text) => text.Length == 0 ? 0 : long.Parse(text, Invariant);

    private static string? NullIfEmpty(string text) => text.Length == 0 ? null : text;

    private static string[] Split(string text) => text.Length == 0 ? [] : text.Split(';');
}
