namespace Sweep.Grains.Abstractions.Reports;

/// <summary>The verdict on one claim of the method for one group of trials, with what was measured against which threshold.</summary>
[GenerateSerializer, Immutable]
public sealed record ClaimVerdict
{
    /// <summary>"deterministic", "init-robust", "width-robust" or "accurate" (see <see cref="Claims"/>).</summary>
    [Id(0)] public required string Claim { get; init; }
    [Id(1)] public required Verdict Verdict { get; init; }
    /// <summary>Human-readable: what was measured, the threshold, and why it holds or fails.</summary>
    [Id(2)] public required string Detail { get; init; }
    /// <summary>The decisive measured value (null when not tested).</summary>
    [Id(3)] public double? Measured { get; init; }
    [Id(4)] public double? Threshold { get; init; }
}

public static class Claims
{
    public const string Deterministic = "deterministic";
    public const string InitRobust = "init-robust";
    public const string WidthRobust = "width-robust";
    public const string Accurate = "accurate";

    public static IReadOnlyList<string> All { get; } = [Deterministic, InitRobust, WidthRobust, Accurate];
}
