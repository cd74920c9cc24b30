using ScottPlot;

namespace Sweep.Client.Reports;

/// <summary>The report's chart sections, in page order.</summary>
public enum ReportSection
{
    Claims,
    Control,
    Ablation,
    FinalWidth,
    TestError,
    Dynamics,
    Flops,
}
