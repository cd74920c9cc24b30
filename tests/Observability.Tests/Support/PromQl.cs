using System.Text.RegularExpressions;

namespace Sweep.Observability.Tests.Support;

/// <summary>Extracts the metric names a PromQL expression (or a Grafana label_values() query) selects.</summary>
public static partial class PromQl
{
    private static readonly HashSet<string> Keywords =
        ["by", "without", "on", "ignoring", "group_left", "group_right", "bool", "offset", "and", "or", "unless", "inf", "nan", "Inf", "NaN"];

    public static IReadOnlySet<string> MetricNames(string expression)
    {
        var labelValues = LabelValues().Match(expression);
        if (labelValues.Success)
        {
            return labelValues.Groups["metric"].Success ? new HashSet<string> { labelValues.Groups["metric"].Value.Trim() } : [];
        }

        var s = Strings().Replace(expression, "\"\"");
        s = Matchers().Replace(s, " ");
        s = Ranges().Replace(s, " ");
        s = Grouping().Replace(s, " ");
        s = Variables().Replace(s, " ");
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match m in Identifier().Matches(s))
        {
            var rest = s[(m.Index + m.Length)..].TrimStart();
            if (rest.StartsWith('(') || Keywords.Contains(m.Value))
            {
                continue;   // a function or aggregation, or a keyword
            }

            names.Add(m.Value);
        }

        return names;
    }

    [GeneratedRegex(@"^\s*label_values\(\s*(?:(?<metric>[a-zA-Z_:][a-zA-Z0-9_:]*)\s*(?:\{[^}]*\})?\s*,)?\s*\w+\s*\)\s*$")]
    private static partial Regex LabelValues();

    [GeneratedRegex(@"""(\\.|[^""\\])*""|'(\\.|[^'\\])*'|`[^`]*`")]
    private static partial Regex Strings();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Matchers();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Ranges();

    [GeneratedRegex(@"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex Grouping();

    [GeneratedRegex(@"\$\{?\w+\}?")]
    private static partial Regex Variables();

    [GeneratedRegex(@"(?<![\w.:])[a-zA-Z_:][a-zA-Z0-9_:]*")]
    private static partial Regex Identifier();
}
