using ScottPlot;

namespace Sweep.Client.Reports;

/// <summary>
/// Means with their confidence intervals as error bars, one series per quantity (e.g. per layer),
/// over categories (factor levels, groups); an optional horizontal reference line (a threshold, zero).
/// A level with a single trial has a mean and no bar.
/// </summary>
public static class IntervalChart
{
    public sealed record Point(int Category, double Mean, double? Lower, double? Upper);

    public sealed record Series(string Name, IReadOnlyList<Point> Points);

    public static Plot Create(string title, string xLabel, string yLabel, IReadOnlyList<string> categories, IReadOnlyList<Series> series,
        double? reference = null, string? referenceLabel = null, bool fromZero = true)
    {
        var plot = ChartStyle.NewPlot(title, xLabel, yLabel);
        var count = Math.Max(1, series.Count);
        var values = new List<double>();
        for (var s = 0; s < series.Count; s++)
        {
            var points = series[s].Points;
            if (points.Count == 0)
            {
                continue;
            }
            // Series side by side within a category, so that their bars do not overlap.
            var offset = count == 1 ? 0 : -0.2 + 0.4 * s / (count - 1);
            var xs = points.Select(p => p.Category + offset).ToArray();
            var ys = points.Select(p => p.Mean).ToArray();
            var errors = points.Select(p => p.Upper is { } u ? u - p.Mean : 0).ToArray();
            var color = ChartStyle.Color(s);
            var bars = plot.Add.ErrorBar(xs, ys, errors);
            bars.Color = color;
            bars.LineWidth = 2;
            var markers = plot.Add.Markers(xs, ys, MarkerShape.FilledCircle, 8, color);
            markers.LegendText = series[s].Name;
            values.AddRange(points.Select(p => p.Lower ?? p.Mean));
            values.AddRange(points.Select(p => p.Upper ?? p.Mean));
        }
        if (reference is { } line)
        {
            var h = plot.Add.HorizontalLine(line, 1.5f, Colors.Gray, LinePattern.Dashed);
            h.LegendText = referenceLabel ?? "";
            values.Add(line);
        }
        plot.Axes.Bottom.SetTicks(categories.Select((_, i) => (double)i).ToArray(), categories.ToArray());
        var max = values.Count == 0 ? 1 : values.Max();
        var min = values.Count == 0 ? 0 : values.Min();
        var low = fromZero ? Math.Min(0, min) : min - (max - min) * 0.1 - 1e-9;
        var high = max + Math.Max((max - low) * 0.12, fromZero ? 1 : 1e-6);
        plot.Axes.SetLimits(-0.6, categories.Count - 0.4, low, high);
        ChartStyle.LegendBelow(plot);
        return plot;
    }
}
