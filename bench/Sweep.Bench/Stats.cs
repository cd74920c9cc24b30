using System.Diagnostics;
using System.Globalization;

namespace Sweep.Bench;

/// <summary>Summary of repeated samples: the median is the figure reported; min and max show the spread.</summary>
public sealed record Summary(double Median, double Min, double Max, int Count, IReadOnlyList<double> Samples)
{
    public static Summary Of(IEnumerable<double> samples)
    {
        var s = samples.Where(double.IsFinite).ToArray();
        if (s.Length == 0)
        {
            return new Summary(double.NaN, double.NaN, double.NaN, 0, []);
        }
        var sorted = s.OrderBy(x => x).ToArray();
        var n = sorted.Length;
        var median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        return new Summary(median, sorted[0], sorted[^1], n, s);
    }
}

/// <summary>One line of the results table.</summary>
public sealed record Row(string Section, string Name, double Value, string Unit, int Count, double Min, double Max, string Note);

/// <summary>Collects rows, prints them, and keeps whatever else a section wants in the JSON.</summary>
public sealed class Report
{
    private readonly Lock _gate = new();

    public List<Row> Rows { get; } = [];

    public Dictionary<string, object> Details { get; } = [];

    public void Add(string section, string name, Summary s, string unit, string note = "")
    {
        var row = new Row(section, name, s.Median, unit, s.Count, s.Min, s.Max, note);
        lock (_gate)
        {
            Rows.Add(row);
        }
        Console.WriteLine(Format(row));
    }

    public void Add(string section, string name, double value, string unit, string note = "") =>
        Add(section, name, new Summary(value, value, value, 1, [value]), unit, note);

    public static string Format(Row r) => string.Create(CultureInfo.InvariantCulture,
        $"{r.Section,-13} {r.Name,-52} {Num(r.Value),12} {r.Unit,-10} n={r.Count,-3} [{Num(r.Min)} .. {Num(r.Max)}] {r.Note}");

    public static string Num(double v) =>
        double.IsNaN(v) ? "n/a" :
        Math.Abs(v) >= 1000 ? v.ToString("F0", CultureInfo.InvariantCulture) :
        Math.Abs(v) >= 10 ? v.ToString("F1", CultureInfo.InvariantCulture) :
        Math.Abs(v) >= 1e-3 || v == 0 ? v.ToString("F3", CultureInfo.InvariantCulture) : v.ToString("E1", CultureInfo.InvariantCulture);

    public void PrintTable()
    {
        Console.WriteLine();
        Console.WriteLine($"{"section",-13} {"figure",-52} {"median",12} {"unit",-10} n    [min .. max] note");
        foreach (var r in Rows)
        {
            Console.WriteLine(Format(r));
        }
    }
}

internal static class Clock
{
    public static double Time(Action action)
    {
        var sw = Stopwatch.StartNew();
        action();
        return sw.Elapsed.TotalSeconds;
    }
}
