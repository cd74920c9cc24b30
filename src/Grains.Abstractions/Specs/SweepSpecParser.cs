using System.Globalization;
using System.Text;
using System.Text.Json;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Sweep.Grains.Abstractions.Specs;

/// <summary>
/// Reads a sweep spec from YAML or JSON and checks it with <see cref="SweepSpecValidator"/>.
/// Errors carry the key path, the value and the line; a syntax error its line and column. JSON is
/// checked as strict JSON first (System.Text.Json: no trailing commas, no comments), then read
/// through the same YAML model (JSON is YAML) so that its errors carry lines too. Sizes are limited
/// (<see cref="SweepSpecLimits"/>).
/// <code>
/// name: lenet300-robustness
/// architecture: lenet300-100
/// dataset: mnist            # or a directory of IDX files, relative to the spec file
/// epochs: 25
/// batch-size: 100
/// options: { cost: 0.03, estimator: exact, train-limit: 10000 }
/// grids:
///   init-study:  { seed: [1, 2, 3], init: [kaiming-uniform, orthogonal, normal-0.1] }
///   width-study: { seed: [1, 2, 3], width: [0.5, 1, 2, 4] }
///   ablation:    { seed: [1, 2, 3], width: [1, 2], prior: ["fixed:0.5"] }
/// </code>
/// Grids may also be a list of maps, each with an optional "name".
/// </summary>
public static class SweepSpecParser
{
    private static readonly string[] TopLevelKeys = ["name", "description", "architecture", "dataset", "epochs", "batch-size", "options", "grids", VerdictSpec.Section];

    /// <summary>Parses and checks; throws <see cref="SweepSpecException"/> listing every problem.</summary>
    public static SpecCheck Parse(string text, SweepSpecRules? rules = null, string? baseDirectory = null, SpecFormat format = SpecFormat.Yaml)
    {
        var check = TryParse(text, rules, baseDirectory, format);
        check.ThrowIfInvalid();
        return check;
    }

    /// <summary>
    /// Reads, parses and checks a spec file: JSON when it is named *.json, else YAML; a relative
    /// dataset directory is relative to the file.
    /// </summary>
    public static async Task<SpecCheck> ParseFileAsync(string path, SweepSpecRules? rules = null, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(path))
        {
            throw new SweepSpecException($"spec file '{path}' does not exist");
        }
        var length = new FileInfo(path).Length;
        if (length > SweepSpecLimits.MaxSpecBytes)
        {
            // Not read at all: the point of the limit is not to hold such a file.
            throw new SweepSpecException($"spec file '{path}' is {length:N0} bytes, more than the limit of {SweepSpecLimits.MaxSpecBytes:N0} bytes");
        }
        var text = await File.ReadAllTextAsync(path, cancellationToken);
        return Parse(text, rules, Path.GetDirectoryName(Path.GetFullPath(path)), FormatOf(path));
    }

    /// <summary>JSON for a *.json file, YAML otherwise.</summary>
    public static SpecFormat FormatOf(string path) =>
        string.Equals(Path.GetExtension(path), ".json", StringComparison.OrdinalIgnoreCase) ? SpecFormat.Json : SpecFormat.Yaml;

    /// <summary>Parses and checks without throwing: inspect <see cref="SpecCheck.Errors"/>.</summary>
    public static SpecCheck TryParse(string text, SweepSpecRules? rules = null, string? baseDirectory = null, SpecFormat format = SpecFormat.Yaml)
    {
        var errors = new List<SpecError>();
        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        var empty = new SweepSpec { Name = "", Architecture = "", Dataset = "", Grids = Array.Empty<SweepGrid>() };
        SpecCheck Rejected(SpecError error) => new(empty, [], [error]);

        var bytes = Encoding.UTF8.GetByteCount(text);
        if (bytes > SweepSpecLimits.MaxSpecBytes)
        {
            return Rejected(new SpecError("(spec)", $"the spec is {bytes:N0} bytes, more than the limit of {SweepSpecLimits.MaxSpecBytes:N0} bytes"));
        }
        if (((format == SpecFormat.Json ? JsonSyntaxError(text) : null) ?? YamlSyntaxError(text, format)) is { } syntax)
        {
            return Rejected(syntax);
        }

        YamlNode? root;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            root = stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode;
        }
        catch (YamlException e)
        {
            // What the syntax pass cannot see: duplicate keys, aliases to unknown anchors.
            return Rejected(SyntaxError(format, Message(e), e.Start));
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException or OverflowException)
        {
            return Rejected(SyntaxError(format, e.Message, Mark.Empty));
        }
        if (root is not YamlMappingNode map)
        {
            return Rejected(new SpecError("(spec)", "the spec must be a map with keys " + string.Join(", ", TopLevelKeys)) { Line = 1, Column = 1 });
        }
        if (OversizedValue(map) is { } oversized)
        {
            return Rejected(oversized);
        }

        string? name = null, description = null, architecture = null, dataset = null;
        int? epochs = null, batchSize = null;
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        var grids = new List<SweepGrid>();
        VerdictSpec? verdicts = null;
        foreach (var (keyNode, valueNode) in map.Children)
        {
            var key = Scalar(keyNode) ?? "";
            lines[key] = Line(keyNode);
            switch (key)
            {
                case "name": name = RequireScalar(errors, key, valueNode); break;
                case "description": description = RequireScalar(errors, key, valueNode); break;
                case "architecture": architecture = RequireScalar(errors, key, valueNode); break;
                case "dataset": dataset = RequireScalar(errors, key, valueNode); break;
                case "epochs": epochs = RequireInteger(errors, key, valueNode); break;
                case "batch-size": batchSize = RequireInteger(errors, key, valueNode); break;
                case "options": ReadOptions(errors, lines, valueNode, options); break;
                case "grids": ReadGrids(errors, lines, valueNode, grids); break;
                case VerdictSpec.Section: verdicts = ReadVerdicts(errors, lines, valueNode); break;
                default:
                    errors.Add(new SpecError(key, $"unknown key (known: {string.Join(", ", TopLevelKeys)}; training options go under 'options' or in a grid)") { Line = Line(keyNode) });
                    break;
            }
        }
        var spec = new SweepSpec
        {
            Name = name ?? "",
            Description = description,
            Architecture = architecture ?? "",
            Dataset = dataset ?? "",
            Epochs = epochs,
            BatchSize = batchSize,
            Options = options,
            Grids = grids.ToArray(),
            Verdicts = verdicts,
        };
        // The validator reports missing and invalid values; structural errors found here come first.
        var check = SweepSpecValidator.Check(spec, rules, baseDirectory);
        var all = errors.Concat(check.Errors.Where(e => !errors.Any(p => p.Path == e.Path))
            .Select(e => e with { Line = e.Line ?? FindLine(lines, e.Path) })).ToArray();
        return check with { Errors = all, Trials = all.Length == 0 ? check.Trials : [] };
    }

    /// <summary>Runs YAML's parser over the whole text: the first syntax error with its line and column, or null.</summary>
    private static SpecError? YamlSyntaxError(string text, SpecFormat format)
    {
        var parser = new Parser(new StringReader(text));
        var last = new Mark(0, 1, 1);
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            while (parser.MoveNext())
            {
                switch (parser.Current)
                {
                    case YamlDotNet.Core.Events.AnchorAlias alias when !anchors.Contains(alias.Value.Value):
                        // YamlDotNet reports an unknown anchor at the document's start, and resolves one defined later: name the alias.
                        return SyntaxError(format, $"alias *{alias.Value.Value} refers to no anchor &{alias.Value.Value} defined before it", alias.Start);
                    case YamlDotNet.Core.Events.NodeEvent { Anchor.IsEmpty: false } node:
                        anchors.Add(node.Anchor.Value);
                        break;
                }
                last = parser.Current?.End ?? last;
            }
            return null;
        }
        catch (YamlException e)
        {
            return SyntaxError(format, Message(e), e.Start);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException or OverflowException)
        {
            // YamlDotNet lets a few malformed inputs (an empty verbatim tag, an escape beyond Unicode) escape
            // as other exceptions, without a position: the error lies after the last event it read.
            return SyntaxError(format, e.Message, last);
        }
    }

    /// <summary>Strict JSON (no trailing commas, no comments): the first error with its line and column, or null.</summary>
    private static SpecError? JsonSyntaxError(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
            return null;
        }
        catch (JsonException e)
        {
            // System.Text.Json counts from 0 and appends the position to its message; say it once, from 1.
            var message = e.Message.Split(" LineNumber:", 2)[0].Split(" Path:", 2)[0].TrimEnd();
            return new SpecError("(spec)", $"not valid JSON: {message}")
            {
                Line = (int)(e.LineNumber ?? 0) + 1,
                Column = (int)(e.BytePositionInLine ?? 0) + 1,
            };
        }
    }

    private static SpecError SyntaxError(SpecFormat format, string message, Mark at) =>
        new("(spec)", $"not valid {(format == SpecFormat.Json ? "JSON" : "YAML")}: {message}")
        {
            Line = Math.Max(1, (int)at.Line),
            Column = Math.Max(1, (int)at.Column),
        };

    private static string Message(YamlException e) => e.InnerException?.Message ?? e.Message;

    /// <summary>The first key or value longer than <see cref="SweepSpecLimits"/> allow, before anything echoes it.</summary>
    private static SpecError? OversizedValue(YamlMappingNode root)
    {
        var seen = new HashSet<YamlNode>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<(YamlNode Node, string Path, int Limit)>();
        foreach (var (key, value) in root.Children)
        {
            var name = Scalar(key) ?? "";
            pending.Push((key, "(key)", SweepSpecLimits.MaxValueLength));
            pending.Push((value, name.Length <= SweepSpecLimits.MaxValueLength ? name : "(key)",
                name == "description" ? SweepSpecLimits.MaxDescriptionLength : SweepSpecLimits.MaxValueLength));
        }
        while (pending.TryPop(out var item))
        {
            if (!seen.Add(item.Node))
            {
                continue;   // an alias seen before (possibly recursive)
            }
            switch (item.Node)
            {
                case YamlScalarNode { Value: { } value } when value.Length > item.Limit:
                    return new SpecError(item.Path, SweepSpecLimits.TooLong(value.Length, item.Limit)) { Line = Line(item.Node), Column = (int)item.Node.Start.Column };
                case YamlSequenceNode list:
                    foreach (var child in list.Children)
                    {
                        pending.Push((child, item.Path, SweepSpecLimits.MaxValueLength));
                    }
                    break;
                case YamlMappingNode nested:
                    foreach (var (key, value) in nested.Children)
                    {
                        pending.Push((key, item.Path, SweepSpecLimits.MaxValueLength));
                        pending.Push((value, item.Path, SweepSpecLimits.MaxValueLength));
                    }
                    break;
            }
        }
        return null;
    }

    private static void ReadOptions(List<SpecError> errors, Dictionary<string, int> lines, YamlNode node, Dictionary<string, string> options)
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

    private static VerdictSpec? ReadVerdicts(List<SpecError> errors, Dictionary<string, int> lines, YamlNode node)
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

    private static double? RequireNumber(List<SpecError> errors, string path, YamlNode node)
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

    private static void ReadGrids(List<SpecError> errors, Dictionary<string, int> lines, YamlNode node, List<SweepGrid> grids)
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

    private static SweepGrid ReadGrid(List<SpecError> errors, Dictionary<string, int> lines, YamlMappingNode map, int position, string? name)
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

    private static string? Scalar(YamlNode node) => node is YamlScalarNode scalar ? scalar.Value : null;

    private static int Line(YamlNode node) => (int)node.Start.Line;

    private static string? RequireScalar(List<SpecError> errors, string path, YamlNode node)
    {
        if (node is YamlScalarNode { Value: { } value } && !(value.Length == 0 || value == "~" || (value == "null" && ((YamlScalarNode)node).Style == ScalarStyle.Plain)))
        {
            return value;
        }
        errors.Add(new SpecError(path, node is YamlScalarNode ? "is empty" : "must be a single value") { Line = Line(node) });
        return null;
    }

    private static int? RequireInteger(List<SpecError> errors, string path, YamlNode node)
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

    private static int? FindLine(Dictionary<string, int> lines, string path)
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
