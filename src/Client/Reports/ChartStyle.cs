using ScottPlot;

namespace Sweep.Client.Reports;

/// <summary>The look shared by every chart: a sans-serif font, Category10 colors.</summary>
public static class ChartStyle
{
    private static readonly ScottPlot.Palettes.Category10 Palette = new();

    public static Plot NewPlot(string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        plot.Font.Set(Fonts.Sans);
        plot.Title(title, size: 15);
        plot.XLabel(xLabel, size: 13);
        plot.YLabel(yLabel, size: 13);
        return plot;
    }

    public static Color Color(int index) => Palette.GetColor(index);
}
