using System.Globalization;
using System.Net;
using System.Text;
using Sweep.Client.Exports;
using Sweep.Client.Output;

namespace Sweep.Client.Reports;

/// <summary>The HTML page of the report: one file, no external resources (charts embedded as PNG data).</summary>
internal static class HtmlReport
{
    /// <summary>The id of the script element holding the export (the text of results.json).</summary>
    public const string DataElementId = "sweep-export";

    private const string Style = """
        body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; margin: 2em auto; max-width: 1400px; color: #222; padding: 0 1em; }
        h1 { font-size: 1.6em; } h2 { font-size: 1.3em; margin-top: 2em; border-bottom: 1px solid #ccc; } h3 { font-size: 1.1em; }
        table { border-collapse: collapse; margin: 1em 0; font-size: 0.9em; }
        th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left; vertical-align: top; }
        th { background: #f3f3f3; } tr.group-start td { border-top: 2px solid #888; }
        td.holds { color: #1a7f37; } td.fails { color: #c62828; font-weight: bold; } td.inconclusive { color: #8a6d00; }
        .provisional { background: #fff4d6; border: 1px solid #e0b84c; padding: 0.5em 1em; }
        .charts { display: flex; flex-wrap: wrap; gap: 1em; }
        figure { margin: 0; border: 1px solid #e3e3e3; padding: 0.5em; flex: 0 1 640px; }
        figure img { width: 100%; height: auto; } figcaption { font-size: 0.85em; color: #444; }
        .note { color: #555; font-size: 0.9em; } dl { display: grid; grid-template-columns: max-content auto; gap: 0.2em 1em; }
        dt { font-weight: bold; }
        """;

    public static string Render(SweepExport export, IReadOnlyList<ReportGenerator.RenderedChart> charts, string json, DateTime generatedAt)
    {
        var html = new StringBuilder();
        var title = $"Sweep {export.Name} — robustness report";
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>").Append(E(title)).Append("</title>\n<style>\n").Append(Style).Append("</style>\n</head>\n<body>\n");
        html.Append("<h1>").Append(E(title)).Append("</h1>\n");
        Overview(html, export, generatedAt);

        if (export.Report.Provisional)
        {
            html.Append("<p class=\"provisional\">Provisional: ").Append(export.Report.UnfinishedTrials.ToString(CultureInfo.InvariantCulture)).Append(" of ")
                .Append(export.Report.TotalTrials.ToString(CultureInfo.InvariantCulture)).Append(" trials have not finished; every verdict below may still change.</p>\n");
        }
        html.Append("<h2 id=\"robustness\">Robustness</h2>\n");
        Table(html, RobustnessTable.Build(export.Report), "robustness-table");
        html.Append("<h2 id=\"verdicts\">Verdicts</h2>\n");
        var verdicts = RobustnessTable.BuildVerdicts(export.Report);
        var details = RobustnessTable.VerdictDetails(export.Report);
        Table(html, verdicts with { Notes = verdicts.Notes.Except(details).ToArray() }, "verdicts-table", verdictCells: true);
        if (details.Count > 0)
        {
            html.Append("<ul class=\"verdict-details\">\n");
            foreach (var detail in details)
            {
                html.Append("<li>").Append(E(detail)).Append("</li>\n");
            }
            html.Append("</ul>\n");
        }
        Section(html, charts, ReportSection.Claims, "claims", "The claims, with intervals",
            "Means with their confidence intervals per level: what each verdict above was judged on.");

        html.Append("<h2 id=\"control\">Method vs control</h2>\n");
        if (export.Report.Comparisons.Count == 0)
        {
            html.Append("<p class=\"note\">No fixed-prior control shares the method's configuration (add a grid with prior: [\"fixed:0.5\"] on the same seeds, inits and widths).</p>\n");
        }
        else
        {
            Table(html, RobustnessTable.BuildControl(export.Report), "control-table");
            Figures(html, charts.Where(c => c.Chart.Section == ReportSection.Control));
        }
        if (export.Report.Groups.Any(g => g.Effects.Count > 0))
        {
            html.Append("<h2 id=\"effects\">Effect of each factor</h2>\n");
            Table(html, RobustnessTable.BuildEffects(export.Report), "effects-table");
        }

        Section(html, charts, ReportSection.Ablation, "ablation", "Flattening prior against the fixed-prior ablation",
            "The same architecture under each prior side by side: final widths, test error and the gates left undecided.");
        Section(html, charts, ReportSection.FinalWidth, "final-width", "Final width against starting width and initialization",
            "The robustness claim: a layer ends at about the same width whatever the starting width and the initialization.");
        Section(html, charts, ReportSection.TestError, "test-error", "Test error against starting width and initialization", null);
        Section(html, charts, ReportSection.Dynamics, "dynamics", "Gates during training", ReportCharts.GateHistoryNote);
        Section(html, charts, ReportSection.Flops, "flops", "Training FLOPs per step over time",
            "Pruned units are removed during training, so later steps cost less: the saving the method claims for training, not only inference.");

        html.Append("<h2 id=\"trials\">Trials</h2>\n");
        Table(html, TrialsTable.Build(export.Results), "trials-table");

        html.Append("<h2 id=\"data\">Data</h2>\n<p class=\"note\">The records this report was made from are embedded below (the text of <code>")
            .Append(ReportGenerator.ResultsJsonFile).Append("</code>, the same as <code>sweep results ").Append(E(export.SweepId))
            .Append(" --format json</code>); also written as <code>").Append(ReportGenerator.TrialsCsvFile).Append("</code> and <code>")
            .Append(ReportGenerator.RobustnessCsvFile).Append("</code> and <code>").Append(ReportGenerator.ControlCsvFile).Append("</code>.</p>\n");
        html.Append("<script type=\"application/json\" id=\"").Append(DataElementId).Append("\">\n")
            .Append(json.Replace("</", "<\\/", StringComparison.Ordinal)).Append("</script>\n");
        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    private static void Overview(StringBuilder html, SweepExport export, DateTime generatedAt)
    {
        var c = export.Counts;
        var r = export.Report;
        html.Append("<dl class=\"overview\">\n");
        Item(html, "Sweep", export.SweepId);
        Item(html, "State", export.State.ToString());
        if (export.Spec?.Description is { Length: > 0 } description)
        {
            Item(html, "Description", description);
        }
        if (export.Spec is { } spec)
        {
            Item(html, "Architecture, dataset", $"{spec.Architecture}, {spec.Dataset}");
            Item(html, "Epochs, batch size", $"{spec.Epochs?.ToString(CultureInfo.InvariantCulture) ?? "default"}, {spec.BatchSize?.ToString(CultureInfo.InvariantCulture) ?? "default"}");
            if (spec.Options.Count > 0)
            {
                Item(html, "Options", string.Join(", ", spec.Options.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Key}={o.Value}")));
            }
            foreach (var grid in spec.Grids)
            {
                Item(html, $"Grid {grid.Name}", string.Join("; ", grid.Factors.Select(f => $"{f.Name}: {string.Join(", ", f.Values)}")));
            }
        }
        Item(html, "Trials", $"{r.TotalTrials} in all, {r.CompletedTrials} completed, {r.FailedTrials} failed" + (c.Cancelled > 0 ? $", {c.Cancelled} cancelled" : "") + (c.Running + c.Queued + c.Pending > 0 ? $", {c.Running + c.Queued + c.Pending} not finished" : ""));
        Item(html, "Statistics computed", r.GeneratedAt.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture));
        Item(html, "Report written", generatedAt.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture));
        html.Append("</dl>\n");
    }

    private static void Section(StringBuilder html, IReadOnlyList<ReportGenerator.RenderedChart> charts, ReportSection section, string id, string heading, string? intro)
    {
        var mine = charts.Where(c => c.Chart.Section == section).ToList();
        html.Append("<h2 id=\"").Append(id).Append("\">").Append(E(heading)).Append("</h2>\n");
        if (intro is not null)
        {
            html.Append("<p class=\"note\">").Append(E(intro)).Append("</p>\n");
        }
        if (mine.Count == 0)
        {
            html.Append("<p class=\"note\">")
                .Append(section == ReportSection.Ablation ? "No architecture has more than one group (add a grid with prior: [\"fixed:0.5\"] for the ablation)." : "No completed trial carries the data for these charts.")
                .Append("</p>\n");
            return;
        }
        foreach (var part in mine.GroupBy(c => c.Chart.Group))
        {
            if (part.Key is not null)
            {
                html.Append("<h3>").Append(E(part.Key)).Append("</h3>\n");
            }
            Figures(html, part);
        }
    }

    private static void Figures(StringBuilder html, IEnumerable<ReportGenerator.RenderedChart> charts)
    {
        html.Append("<div class=\"charts\">\n");
        foreach (var chart in charts)
        {
            html.Append("<figure id=\"chart-").Append(E(chart.Chart.Id)).Append("\">\n<img alt=\"").Append(E(chart.Chart.Title))
                .Append("\" src=\"data:image/png;base64,").Append(Convert.ToBase64String(chart.Png)).Append("\">\n<figcaption>")
                .Append(E(chart.Chart.Caption)).Append(" <a href=\"").Append(E(chart.SvgPath)).Append("\">SVG</a> <a href=\"")
                .Append(E(chart.PngPath)).Append("\">PNG</a></figcaption>\n</figure>\n");
        }
        html.Append("</div>\n");
    }

    private static void Table(StringBuilder html, TableModel model, string id, bool verdictCells = false)
    {
        html.Append("<table id=\"").Append(id).Append("\">\n<thead><tr>");
        foreach (var column in model.Columns)
        {
            html.Append("<th>").Append(E(column)).Append("</th>");
        }
        html.Append("</tr></thead>\n<tbody>\n");
        for (var i = 0; i < model.Rows.Count; i++)
        {
            html.Append(model.GroupStarts.Contains(i) && i > 0 ? "<tr class=\"group-start\">" : "<tr>");
            for (var j = 0; j < model.Rows[i].Count; j++)
            {
                var cell = model.Rows[i][j];
                var css = verdictCells && j > 0 ? cell.StartsWith("holds", StringComparison.Ordinal) ? " class=\"holds\"" : cell.StartsWith("FAILS", StringComparison.Ordinal) ? " class=\"fails\"" : " class=\"inconclusive\"" : "";
                html.Append("<td").Append(css).Append('>').Append(E(cell)).Append("</td>");
            }
            html.Append("</tr>\n");
        }
        html.Append("</tbody>\n</table>\n");
        foreach (var note in model.Notes)
        {
            html.Append("<p class=\"note\">").Append(E(note)).Append("</p>\n");
        }
    }

    private static void Item(StringBuilder html, string term, string value) =>
        html.Append("<dt>").Append(E(term)).Append("</dt><dd>").Append(E(value)).Append("</dd>\n");

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
