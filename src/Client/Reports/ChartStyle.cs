using ScottPlot;

namespace Sweep.Client.Reports;

/// <summary>The look shared by every chart: a sans-serif font, Category10 colors.</summary>
public static class ChartStyle
{
    private static readonly ScottPlot.Palettes.Category10 Palette = new();

    public static Plot NewPlot(string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        plot.Font.Set(Font);
        plot.Title(title, size: 15);
        plot.XLabel(xLabel, size: 13);
        plot.YLabel(yLabel, size: 13);
        return plot;
    }

    public static Color Color(int index) => Palette.GetColor(index);

    /// <summary>DejaVu Sans where installed (Debian's fonts-dejavu-core), else ScottPlot's sans-serif choice.</summary>
    private static string Font { get; } = Installed("DejaVu Sans") ? "DejaVu Sans" : Fonts.Sans;

    private static bool Installed(string family)
    {
        using var typeface = SkiaSharp.SKTypeface.FromFamilyName(family);
        return typeface is not null && typeface.FamilyName == family;
    }

    /// <summary>The legend under the plot, in rows, so the data area keeps the full width.</summary>
    public static void LegendBelow(Plot plot)
    {
        plot.ShowLegend(Edge.Bottom);
        plot.Legend.Orientation = Orientation.Horizontal;
    }

    /// <summary>Whole-number ticks on the x axis (epochs).</summary>
    public static void IntegerBottomTicks(Plot plot) =>
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };

    /// <summary>Large tick values as 1.2M, 266.2k.</summary>
    public static void CompactLeftTicks(Plot plot) =>
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { LabelFormatter = Output.Numbers.Compact };
}
