namespace Sweep.Grains.Abstractions.Reports;

/// <summary>How often trials ended in a failure of the method, with the Wilson score interval of the rate.</summary>
[GenerateSerializer, Immutable]
public sealed record FailureRate
{
    /// <summary>"collapsed", "diverged", or "collapsed or diverged".</summary>
    [Id(0)] public required string Reason { get; init; }
    [Id(1)] public int Count { get; init; }
    /// <summary>The trials the rate is over: completed ones plus failures of the method.</summary>
    [Id(2)] public int Trials { get; init; }
    [Id(3)] public double Rate { get; init; }
    [Id(4)] public double Lower { get; init; }
    [Id(5)] public double Upper { get; init; }
}
