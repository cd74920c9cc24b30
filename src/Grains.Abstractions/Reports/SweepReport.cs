namespace Sweep.Grains.Abstractions.Reports;

/// <summary>The aggregate of a sweep: statistics and verdicts per group (architecture and prior), and the method against its control.</summary>
[GenerateSerializer, Immutable]
public sealed record SweepReport
{
    [Id(0)] public required string SweepId { get; init; }
    [Id(1)] public string Name { get; init; } = "";
    [Id(2)] public DateTime GeneratedAt { get; init; }
    [Id(3)] public int TotalTrials { get; init; }
    [Id(4)] public int CompletedTrials { get; init; }
    [Id(5)] public int FailedTrials { get; init; }
    [Id(7)] public IReadOnlyList<RobustnessGroup> Groups { get; init; } = Array.Empty<RobustnessGroup>();
    [Id(8)] public VerdictCriteria Criteria { get; init; } = new();
    /// <summary>Some trials have not finished: every verdict may still change.</summary>
    [Id(9)] public bool Provisional { get; init; }
    /// <summary>Trials with no result yet (pending, queued, running).</summary>
    [Id(10)] public int UnfinishedTrials { get; init; }
    [Id(11)] public int CancelledTrials { get; init; }
    [Id(12)] public IReadOnlyList<ControlComparison> Comparisons { get; init; } = Array.Empty<ControlComparison>();
}
