using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Sweep.Grains.Abstractions.Specs;

/// <summary>Reads the sections of a spec's YAML model (options, verdicts, grids) into the spec's records; each error carries its key path and line.</summary>
internal static class SpecYamlReader
{
    public static void ReadOptions(List<SpecError> errors, Dictionary<string, int> lines, YamlNode node, Dictionary<string, string> options)
    {
        if (node is not YamlMappingNode map)
        {
            errors.Add(new SpecError("options", "must be a map from option names to values") { Line = Line(node) });
            return;
        }
        foreach (var (keyNode, valueNode) in map.Children)
        {
            var key = Scalar(keyNode) ?? "";
            lines[$"options.{key}"] = Line(keyNode);
            if (RequireScalar(errors, $"options.{key}", valueNode) is { } value)
            {
                options[key] = value;
            }
        }
    }

    public static VerdictSpec? ReadVerdicts(List<SpecError> errors, Dictionary<string, int> lines, YamlNode node)
    {
        if (node is not YamlMappingNode map)
        {
            errors.Add(new SpecError(VerdictSpec.Section, $"must be a map with keys {string.Join(", ", VerdictSpec.Keys)}") { Line = Line(node) });
            return null;
        }
        var verdicts = new VerdictSpec();
        foreach (var (keyNode, valueNode) in map.Children)
        {
            var key = Scalar(keyNode) ?? "";
            var path = $"{VerdictSpec.Section}.{key}";
            lines[path] = Line(keyNode);
            switch (key)
            {
                case "confidence": verdicts = verdicts with { Confidence = RequireNumber(errors, path, valueNode) }; break;
                case "min-trials": verdicts = verdicts with { MinTrials = RequireInteger(errors, path, valueNode) }; break;
                case "width-margin": verdicts = verdicts with { WidthMargin = RequireNumber(errors, path, valueNode) }; break;
                case "error-margin": verdicts = verdicts with { ErrorMargin = RequireNumber(errors, path, valueNode) }; break;
                case "max-test-error": verdicts = verdicts with { MaxTestError = RequireNumber(errors, path, valueNode) }; break;
                case "max-undecided": verdicts = verdicts with { MaxUndecided = RequireInteger(errors, path, valueNode) }; break;
                case "max-failure-rate": verdicts = verdicts with { MaxFailureRate = RequireNumber(errors, path, valueNode) }; break;
                case "min-width": verdicts = verdicts with { MinWidth = RequireNumber(errors, path, valueNode) }; break;
                default:
                    errors.Add(new SpecError(path, $"unknown key (known: {string.Join(", ", VerdictSpec.Keys)})") { Line = Line(keyNode) });
                    break;
            }
        }
        return verdicts;
    }

    public static double? RequireNumber(List<SpecError> errors, string path, YamlNode node)
    {
        if (RequireScalar(errors, path, node) is not { } text)
        {
            return null;
        }
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value))
        {
            return value;
        }
        errors.Add(new SpecError(path, $"'{text}' is not a number") { Line = Line(node) });
        return null;
    }

    public static void ReadGrids(List<SpecError> errors, Dictionary<string, int> lines, YamlNode node, List<SweepGrid> grids)
    {
        switch (node)
        {
            case YamlSequenceNode list:
                foreach (var item in list.Children)
                {
                    var position = grids.Count;
                    lines[$"grids[{position}]"] = Line(item);
                    if (item is not YamlMappingNode gridMap)
                    {
                        errors.Add(new SpecError($"grids[{position}]", "each grid must be a map from factors to lists of values") { Line = Line(item) });
                        grids.Add(new SweepGrid { Name = "", Factors = [] });
                        continue;
                    }
                    grids.Add(ReadGrid(errors, lines, gridMap, position, name: null));
                }
                break;
            case YamlMappingNode named:
                foreach (var (keyNode, valueNode) in named.Children)
                {
                    var position = grids.Count;
                    var name = Scalar(keyNode) ?? "";
                    lines[$"grids[{position}]"] = Line(keyNode);
                    lines[$"grids.{name}"] = Line(keyNode);
                    if (valueNode is not YamlMappingNode gridMap)
                    {
                        errors.Add(new SpecError($"grids.{name}", "each grid must be a map from factors to lists of values") { Line = Line(valueNode) });
                        continue;
                    }
                    grids.Add(ReadGrid(errors, lines, gridMap, position, name));
                }
                break;
            default:
                errors.Add(new SpecError("grids", "must be a list of grids or a map from grid names to grids") { Line = Line(node) });
                break;
        }
    }

    public static SweepGrid ReadGrid(List<SpecError> errors, Dictionary<string, int> lines, YamlMappingNode map, int position, string? name)
    {
        var factors = new List<SweepFactor>();
        foreach (var (keyNode, valueNode) in map.Children)
        {
            var factor = Scalar(keyNode) ?? "";
            var path = $"grids[{position}].{factor}";
            lines[path] = Line(keyNode);
            if (name is null && factor == "name")
            {
                name = RequireScalar(errors, path, valueNode);
                continue;
            }
            var values = new List<string>();
            switch (valueNode)
            {
                case YamlSequenceNode list:
                    for (var i = 0; i < list.Children.Count; i++)
                    {
                        lines[$"{path}[{i}]"] = Line(list.Children[i]);
                        if (RequireScalar(errors, $"{path}[{i}]", list.Children[i]) is { } value)
                        {
                            values.Add(value);
                        }
                    }
                    break;
                case YamlScalarNode when Scalar(valueNode) is { Length: > 0 } single:
                    values.Add(single);
                    break;
                default:
                    errors.Add(new SpecError(path, "must be a list of values") { Line = Line(valueNode) });
                    break;
            }
            factors.Add(new SweepFactor { Name = factor, Values = values.ToArray() });
        }
        return new SweepGrid { Name = name ?? "", Factors = factors.ToArray() };
    }

    public static string? Scalar(YamlNode node) => node is YamlScalarNode scalar ? scalar.Value : null;

    public static int Line(YamlNode node) => (int)node.Start.Line;

    public static string? RequireScalar(List<SpecError> errors, string path, YamlNode node)
    {
        if (node is YamlScalarNode { Value: { } value } && !(value.Length == 0 || value == "~" || (value == "null" && ((YamlScalarNode)node).Style == ScalarStyle.Plain)))
        {
            return value;
        }
        errors.Add(new SpecError(path, node is YamlScalarNode ? "is empty" : "must be a single value") { Line = Line(node) });
        return null;
    }

    public static int? RequireInteger(List<SpecError> errors, string path, YamlNode node)
    {
        if (RequireScalar(errors, path, node) is not { } text)
        {
            return null;
        }
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }
        errors.Add(new SpecError(path, $"'{text}' is not an integer") { Line = Line(node) });
        return null;
    }

    public static int? FindLine(Dictionary<string, int> lines, string path)
    {
        // Longest known prefix of the path: "grids[1].init[0]" falls back to "grids[1].init", then "grids[1]".
        for (var candidate = path; candidate.Length > 0;)
        {
            if (lines.TryGetValue(candidate, out var line))
            {
                return line;
            }
            var cut = Math.Max(candidate.LastIndexOf('.'), candidate.LastIndexOf('['));
            if (cut <= 0)
            {
                break;
            }
            candidate = candidate[..cut];
        }
        return null;
    }
}
