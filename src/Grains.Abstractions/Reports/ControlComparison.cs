namespace Sweep.Grains.Abstractions.Reports;

/// <summary>
/// The method (flattening hyper-prior) against a fixed-prior control on the same grid cells: the
/// trials are paired by every setting but the prior; unpaired trials are counted and left out.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ControlComparison
{
    [Id(0)] public required string MethodGroup { get; init; }
    [Id(1)] public required string ControlGroup { get; init; }
    [Id(2)] public required string MethodPrior { get; init; }
    [Id(3)] public required string ControlPrior { get; init; }
    [Id(4)] public int Pairs { get; init; }
    [Id(5)] public int UnpairedMethodTrials { get; init; }
    [Id(6)] public int UnpairedControlTrials { get; init; }
    [Id(7)] public string Test { get; init; } = "";
    [Id(8)] public IReadOnlyList<PairedDifference> Differences { get; init; } = Array.Empty<PairedDifference>();
}
