using System.Globalization;

namespace Sweep.Analysis;

/// <summary>Invariant number formats of the verdicts' sentences (the invariant "P" format would put a space before "%").</summary>
internal static class Format
{
    public static string Percent(double fraction, int decimals) =>
        (fraction * 100).ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) + "%";

    public static string Percent(double? fraction, int decimals) => fraction is { } f ? Percent(f, decimals) : "-";
}
