namespace Sweep.Grains.Telemetry;

/// <summary>The latest values the per-trial gauges report for one trial.</summary>
public sealed record TrialSnapshot
{
    public required string Architecture { get; init; }
    public string State { get; init; } = "running";
    public int Epoch { get; init; }
    public double Loss { get; init; } = double.NaN;
    public double TestError { get; init; } = double.NaN;
    public IReadOnlyList<int> Widths { get; init; } = [];
    public IReadOnlyList<string> LayerNames { get; init; } = [];
    public int UndecidedGates { get; init; }
    public double? PrunedParametersFraction { get; init; }
    public double? PrunedFlopsFraction { get; init; }
    public double StepFlops { get; init; } = double.NaN;
    public double ExampleRate { get; init; } = double.NaN;
    public double FlopRate { get; init; } = double.NaN;

    /// <summary>True once an epoch has been recorded on this silo: before that only the epoch count is reported.</summary>
    public bool Measured { get; init; }
}
