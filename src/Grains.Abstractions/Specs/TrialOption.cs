using System.Globalization;

namespace Sweep.Grains.Abstractions.Specs;

public enum TrialOptionKind
{
    WholeNumber,
    Number,
    Choice,
    /// <summary>Comma-separated non-negative numbers (possibly empty).</summary>
    NumberList,
    /// <summary>Free text, checked by the trainer's own validation on the silo.</summary>
    Text,
}

/// <summary>One training option a sweep spec may set or vary, with its kind and range.</summary>
public sealed record TrialOption(string Name, TrialOptionKind Kind, string Description)
{
    public double? Min { get; init; }
    public bool MinExclusive { get; init; }
    public double? Max { get; init; }
    public IReadOnlyList<string> Choices { get; init; } = [];

    /// <summary>Checks <paramref name="value"/>; returns the normalized value (invariant numbers, lower-case choices) or an error.</summary>
    public (string? Value, string? Error) Normalize(string value)
    {
        var text = value.Trim();
        switch (Kind)
        {
            case TrialOptionKind.WholeNumber:
                if (!long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var integer) || integer is > int.MaxValue or < int.MinValue)
                {
                    return (null, $"'{value}' is not an integer");
                }
                return CheckRange(integer) ?? (integer.ToString(CultureInfo.InvariantCulture), null);
            case TrialOptionKind.Number:
                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) || !double.IsFinite(real))
                {
                    return (null, $"'{value}' is not a number");
                }
                return CheckRange(real) ?? (real.ToString("R", CultureInfo.InvariantCulture), null);
            case TrialOptionKind.Choice:
                var choice = text.ToLowerInvariant();
                return Choices.Contains(choice, StringComparer.Ordinal)
                    ? (choice, null)
                    : (null, $"unknown {Name} '{value}' (known: {string.Join(", ", Choices)})");
            case TrialOptionKind.NumberList:
                var parts = text.Length == 0 ? [] : text.Split(',');
                var normalized = new List<string>();
                foreach (var part in parts)
                {
                    if (!double.TryParse(part.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var item) || !double.IsFinite(item) || item < 0)
                    {
                        return (null, $"'{value}' is not a comma-separated list of non-negative numbers");
                    }
                    normalized.Add(item.ToString("R", CultureInfo.InvariantCulture));
                }
                return (string.Join(',', normalized), null);
            default:
                return text.Length == 0 ? (null, "the value is empty") : (text.ToLowerInvariant(), null);
        }
    }

    private (string?, string?)? CheckRange(double number)
    {
        var shown = number.ToString(CultureInfo.InvariantCulture);
        if (Min is { } min && (MinExclusive ? number <= min : number < min))
        {
            return (null, $"{shown} is out of range: must be {(MinExclusive ? ">" : ">=")} {min.ToString(CultureInfo.InvariantCulture)}");
        }
        if (Max is { } max && number > max)
        {
            return (null, $"{shown} is out of range: must be <= {max.ToString(CultureInfo.InvariantCulture)}");
        }
        return null;
    }
}
