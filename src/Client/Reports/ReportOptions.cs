namespace Sweep.Client.Reports;

/// <summary>Tunables of <see cref="ReportGenerator"/>.</summary>
public sealed record ReportOptions
{
    /// <summary>Trials per group whose training histories are plotted (spread over starting widths and initializations).</summary>
    public int TrialsPerGroup { get; init; } = 4;

    public int ChartWidth { get; init; } = 640;

    public int ChartHeight { get; init; } = 440;
}
