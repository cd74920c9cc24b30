namespace Sweep.Grains.Telemetry;

/// <summary>The latest values the sweep-level gauges report for one sweep (from its coordinator).</summary>
public sealed record SweepSnapshot(IReadOnlyDictionary<string, int> TrialsByState, double? EtaSeconds);
