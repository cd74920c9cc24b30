namespace Sweep.Grains.Abstractions.Reports;

public static class Claims
{
    public const string Deterministic = "deterministic";
    public const string InitRobust = "init-robust";
    public const string WidthRobust = "width-robust";
    public const string Accurate = "accurate";

    public static IReadOnlyList<string> All { get; } = [Deterministic, InitRobust, WidthRobust, Accurate];
}
