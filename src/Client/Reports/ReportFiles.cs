namespace Sweep.Client.Reports;

/// <summary>What <see cref="ReportGenerator"/> wrote, all under <see cref="Directory"/>.</summary>
public sealed record ReportFiles(string Directory, string Html, IReadOnlyList<string> ChartPngs, IReadOnlyList<string> ChartSvgs, string ResultsJson, string TrialsCsv, string RobustnessCsv);
