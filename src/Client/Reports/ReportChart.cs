using ScottPlot;

namespace Sweep.Client.Reports;

/// <summary>One chart of the report: where it goes, what it shows, and the ScottPlot plot that draws it.</summary>
public sealed record ReportChart(string Id, ReportSection Section, string Title, string Caption, Plot Plot)
{
    /// <summary>The group the chart is about (a sub-heading in its section); null for charts across groups.</summary>
    public string? Group { get; init; }
}
