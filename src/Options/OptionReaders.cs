using System.Globalization;

namespace Sweep.Options;

/// <summary>How each kind of option reads and writes its text; the messages are those a spec's errors show after the key path.</summary>
internal static class OptionReaders
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Number(double value) => value.ToString("R", Invariant);

    public static string Whole(int value) => value.ToString(Invariant);

    public static Func<string, (double, string?)> ReadNumber(NumberRange range) => text =>
        !double.TryParse(text.Trim(), NumberStyles.Float, Invariant, out var value) || !double.IsFinite(value)
            ? (0, $"'{text}' is not a number")
            : (value, range.Check(value));

    public static Func<string, (int, string?)> ReadWhole(NumberRange range) => text =>
        !long.TryParse(text.Trim(), NumberStyles.Integer, Invariant, out var value) || value is > int.MaxValue or < int.MinValue
            ? (0, $"'{text}' is not an integer")
            : ((int)value, range.Check(value));

    /// <summary>A whole number, or 'none' (or nothing) for no value.</summary>
    public static Func<string, (int?, string?)> ReadOptionalWhole(NumberRange range)
    {
        var whole = ReadWhole(range);
        return text =>
        {
            if (text.Trim().ToLowerInvariant() is "" or "none")
            {
                return (null, null);
            }
            var (value, error) = whole(text);
            return (value, error);
        };
    }

    public static (IReadOnlyList<double>, string?) NumberList(string text)
    {
        var trimmed = text.Trim();
        var values = new List<double>();
        foreach (var part in trimmed.Length == 0 ? [] : trimmed.Split(','))
        {
            if (!double.TryParse(part.Trim(), NumberStyles.Float, Invariant, out var item) || !double.IsFinite(item) || item < 0)
            {
                return ([], $"'{text}' is not a comma-separated list of non-negative numbers");
            }
            values.Add(item);
        }
        return (values, null);
    }

    public static string NumberList(IReadOnlyList<double> values) => string.Join(',', values.Select(Number));

    public static (bool, string?) Switch(string text) => text.Trim().ToLowerInvariant() switch
    {
        "true" => (true, null),
        "false" => (false, null),
        _ => (false, $"'{text}' is not a switch: use true or false"),
    };

    public static (Prior, string?) Prior(string text) =>
        Options.Prior.TryParse(text, out var prior) ? (prior, null) : (prior, $"'{text}' is not a prior: use 'flattening' or 'fixed:PI' with 0 < PI < 1");

    public static (LearningRateSchedule, string?) Schedule(string text) =>
        LearningRateSchedule.TryParse(text, out var schedule)
            ? (schedule, null)
            : (schedule, $"'{text}' is not a schedule: use 'none' or 'step:F1,F2,...' with fractions in (0, 1)");

    /// <summary>Reads one of <paramref name="names"/>, case-insensitively.</summary>
    public static Func<string, (T, string?)> Choice<T>(string option, IReadOnlyList<(string Name, T Value)> names) where T : struct, Enum => text =>
    {
        var name = text.Trim().ToLowerInvariant();
        foreach (var (n, value) in names)
        {
            if (n == name)
            {
                return (value, null);
            }
        }
        return (default, $"unknown {option} '{text}' (known: {string.Join(", ", names.Select(c => c.Name))})");
    };

    public static Func<T, string> ChoiceName<T>(IReadOnlyList<(string Name, T Value)> names) where T : struct, Enum => value =>
    {
        foreach (var (name, v) in names)
        {
            if (EqualityComparer<T>.Default.Equals(v, value))
            {
                return name;
            }
        }
        // Not one of the choices (a cast in code): a text that no choice reads, so validation names it.
        return Convert.ToInt64(value, Invariant).ToString(Invariant);
    };
}
