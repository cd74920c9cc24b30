using System.Text;
using Sweep.Client.Exports;
using Sweep.Client.Output;

namespace Sweep.Client.Reports;

/// <summary>
/// Writes a sweep's report from its records alone (no cluster): report.html, self-contained (the
/// charts embedded as PNG data, the data as JSON), the charts as PNG and SVG files under charts/,
/// and the exports results.json (the same text as `sweep results --format json`), trials.csv and
/// robustness.csv and control.csv (the method against its control). Charts are drawn by ScottPlot.
/// </summary>
public sealed class ReportGenerator(ReportOptions? options = null)
{
    public const string HtmlFile = "report.html";
    public const string ChartsFolder = "charts";
    public const string ResultsJsonFile = "results.json";
    public const string TrialsCsvFile = "trials.csv";
    public const string RobustnessCsvFile = "robustness.csv";
    public const string ControlCsvFile = "control.csv";

    /// <summary>UTF-8 without a byte-order mark (JSON readers and CSV headers choke on one).</summary>
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private readonly ReportOptions _options = options ?? new ReportOptions();

    public ReportFiles Write(SweepExport export, string directory, DateTime? generatedAt = null)
    {
        directory = Path.GetFullPath(directory);
        var chartsDirectory = Path.Combine(directory, ChartsFolder);
        Directory.CreateDirectory(chartsDirectory);

        var charts = ReportCharts.Build(export, _options);
        var rendered = new List<RenderedChart>();
        var pngs = new List<string>();
        var svgs = new List<string>();
        foreach (var chart in charts)
        {
            var png = chart.Plot.GetImageBytes(_options.ChartWidth, _options.ChartHeight, ScottPlot.ImageFormat.Png);
            var svg = chart.Plot.GetSvgXml(_options.ChartWidth, _options.ChartHeight);
            var pngPath = Path.Combine(chartsDirectory, chart.Id + ".png");
            var svgPath = Path.Combine(chartsDirectory, chart.Id + ".svg");
            File.WriteAllBytes(pngPath, png);
            File.WriteAllText(svgPath, svg, Utf8);
            pngs.Add(pngPath);
            svgs.Add(svgPath);
            rendered.Add(new RenderedChart(chart, png, $"{ChartsFolder}/{chart.Id}.png", $"{ChartsFolder}/{chart.Id}.svg"));
        }

        var json = SweepJson.Serialize(export);
        var files = new ReportFiles(
            directory,
            Path.Combine(directory, HtmlFile),
            pngs,
            svgs,
            Path.Combine(directory, ResultsJsonFile),
            Path.Combine(directory, TrialsCsvFile),
            Path.Combine(directory, RobustnessCsvFile));
        File.WriteAllText(files.ResultsJson, json, Utf8);
        File.WriteAllText(files.TrialsCsv, ResultsCsv.Write(export.Results), Utf8);
        File.WriteAllText(files.RobustnessCsv, RobustnessCsv.Write(export.Report), Utf8);
        File.WriteAllText(Path.Combine(directory, ControlCsvFile), RobustnessCsv.WriteControl(export.Report), Utf8);
        File.WriteAllText(files.Html, HtmlReport.Render(export, rendered, json, generatedAt ?? DateTime.UtcNow), Utf8);
        return files;
    }

    internal sealed record RenderedChart(ReportChart Chart, byte[] Png, string PngPath, string SvgPath);
}
