using ScottPlot;

namespace Sweep.Client.Reports;

/// <summary>
/// A chart with categories on the x axis (starting widths, initializations, priors), every trial a
/// point (slightly spread so equal values stay visible, colored by a second factor), and the mean
/// of each category as a bar across it.
/// </summary>
public static class CategoryChart
{
    public sealed record Point(string Category, double Value, string Hue);

    public static Plot Create(string title, string xLabel, string yLabel, IReadOnlyList<string> categories, IReadOnlyList<Point> points, string? hueName, bool ordered = false, bool fromZero = true)
    {
        var plot = ChartStyle.NewPlot(title, xLabel, yLabel);
        // Means first, as a wide bar across the category, so that the trial points stay visible on top of it.
        var withValues = categories.Where(c => points.Any(p => p.Category == c)).ToList();
        if (withValues.Count > 0)
        {
            var meanXs = withValues.Select(c => (double)IndexOf(categories, c)).ToArray();
            var meanYs = withValues.Select(c => points.Where(p => p.Category == c).Average(p => p.Value)).ToArray();
            var means = plot.Add.Scatter(meanXs, meanYs, Colors.Black);
            means.MarkerShape = MarkerShape.HorizontalBar;
            means.MarkerSize = 44;
            means.MarkerLineWidth = 2.5f;
            // Means are joined only when the categories are ordered (starting widths), not for initializations or priors.
            means.LineWidth = ordered ? 1 : 0;
            means.LinePattern = LinePattern.Dashed;
            means.LegendText = "mean";
        }
        var hues = points.Select(p => p.Hue).Distinct(StringComparer.Ordinal).ToList();
        for (var h = 0; h < hues.Count; h++)
        {
            var mine = points.Select((p, i) => (p, i)).Where(x => x.p.Hue == hues[h]).ToList();
            if (mine.Count == 0)
            {
                continue;
            }
            var xs = mine.Select(x => Position(categories, points, x.i)).ToArray();
            var ys = mine.Select(x => x.p.Value).ToArray();
            var markers = plot.Add.Markers(xs, ys, MarkerShape.FilledCircle, 7, ChartStyle.Color(h).WithAlpha(0.85));
            markers.LegendText = hueName is null ? "trials" : $"{hueName}={hues[h]}";
        }
        plot.Axes.Bottom.SetTicks(categories.Select((_, i) => (double)i).ToArray(), categories.ToArray());
        var max = points.Count == 0 ? 1 : points.Max(p => p.Value);
        var min = points.Count == 0 ? 0 : points.Min(p => p.Value);
        var low = fromZero ? 0 : min - (max - min) * 0.1 - 1e-9;
        // Headroom above the highest point; at least one unit, so that all-zero data (a collapsed layer) still gets a readable axis.
        plot.Axes.SetLimits(-0.6, categories.Count - 0.4, low, max + Math.Max((max - low) * 0.12, 1));
        ChartStyle.LegendBelow(plot);
        return plot;
    }

    /// <summary>The category's index, spread by at most ±0.2 among the points of that category.</summary>
    private static double Position(IReadOnlyList<string> categories, IReadOnlyList<Point> points, int index)
    {
        var category = points[index].Category;
        var peers = points.Select((p, i) => (p, i)).Where(x => x.p.Category == category).Select(x => x.i).ToList();
        var rank = peers.IndexOf(index);
        var offset = peers.Count <= 1 ? 0 : -0.2 + 0.4 * rank / (peers.Count - 1);
        return IndexOf(categories, category) + offset;
    }

    private static int IndexOf(IReadOnlyList<string> list, string value)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] == value)
            {
                return i;
            }
        }
        return -1;
    }
}
