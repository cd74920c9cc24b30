using System.Globalization;

namespace Sweep.Options;

/// <summary>The interval a numeric option accepts; either end may be open or absent.</summary>
public sealed record NumberRange(double? Min = null, bool MinExclusive = false, double? Max = null, bool MaxExclusive = false)
{
    public static NumberRange Any { get; } = new();

    /// <summary>Null when <paramref name="number"/> lies in the range, else why not.</summary>
    public string? Check(double number)
    {
        var shown = number.ToString(CultureInfo.InvariantCulture);
        if (Min is { } min && (MinExclusive ? number <= min : number < min))
        {
            return $"{shown} is out of range: must be {(MinExclusive ? ">" : ">=")} {Text(min)}";
        }
        if (Max is { } max && (MaxExclusive ? number >= max : number > max))
        {
            return $"{shown} is out of range: must be {(MaxExclusive ? "<" : "<=")} {Text(max)}";
        }
        return null;
    }

    /// <summary>"(0, 1]", "&gt;= 1", "" for any number: the range as a reader writes it.</summary>
    public override string ToString() => (Min, Max) switch
    {
        ({ } min, { } max) => $"{(MinExclusive ? "(" : "[")}{Text(min)}, {Text(max)}{(MaxExclusive ? ")" : "]")}",
        ({ } min, null) => $"{(MinExclusive ? ">" : ">=")} {Text(min)}",
        (null, { } max) => $"{(MaxExclusive ? "<" : "<=")} {Text(max)}",
        _ => "",
    };

    private static string Text(double value) => value.ToString(CultureInfo.InvariantCulture);
}
