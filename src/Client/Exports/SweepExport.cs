using Sweep.Grains.Abstractions.Reports;
using Sweep.Grains.Abstractions.Specs;
using Sweep.Grains.Abstractions.Sweeps;
using Sweep.Grains.Abstractions.Trials;

namespace Sweep.Client.Exports;

/// <summary>
/// Everything `sweep results --format json` prints and `sweep report` renders: the sweep's spec,
/// its robustness report (GetReport) and the per-trial results (GetResults), unchanged.
/// </summary>
public sealed record SweepExport
{
    public required string SweepId { get; init; }
    public string Name { get; init; } = "";
    public SweepState State { get; init; }
    public TrialCounts Counts { get; init; } = new();
    public SweepSpec? Spec { get; init; }
    public required SweepReport Report { get; init; }
    public required IReadOnlyList<TrialResult> Results { get; init; }
}
