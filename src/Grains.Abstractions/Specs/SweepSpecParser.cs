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
        if (((format == SpecFormat.Json ? SpecSyntax.JsonSyntaxError(text) : null) ?? SpecSyntax.YamlSyntaxError(text, format)) is { } syntax)
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
            return Rejected(SpecSyntax.SyntaxError(format, SpecSyntax.Message(e), e.Start));
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException or OverflowException)
        {
            return Rejected(SpecSyntax.SyntaxError(format, e.Message, Mark.Empty));
        }
        if (root is not YamlMappingNode map)
        {
            return Rejected(new SpecError("(spec)", "the spec must be a map with keys " + string.Join(", ", TopLevelKeys)) { Line = 1, Column = 1 });
        }
        if (SpecSyntax.OversizedValue(map) is { } oversized)
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
            var key = SpecYamlReader.Scalar(keyNode) ?? "";
            lines[key] = SpecYamlReader.Line(keyNode);
            switch (key)
            {
                case "name": name = SpecYamlReader.RequireScalar(errors, key, valueNode); break;
                case "description": description = SpecYamlReader.RequireScalar(errors, key, valueNode); break;
                case "architecture": architecture = SpecYamlReader.RequireScalar(errors, key, valueNode); break;
                case "dataset": dataset = SpecYamlReader.RequireScalar(errors, key, valueNode); break;
                case "epochs": epochs = SpecYamlReader.RequireInteger(errors, key, valueNode); break;
                case "batch-size": batchSize = SpecYamlReader.RequireInteger(errors, key, valueNode); break;
                case "options": SpecYamlReader.ReadOptions(errors, lines, valueNode, options); break;
                case "grids": SpecYamlReader.ReadGrids(errors, lines, valueNode, grids); break;
                case VerdictSpec.Section: verdicts = SpecYamlReader.ReadVerdicts(errors, lines, valueNode); break;
                default:
                    errors.Add(new SpecError(key, $"unknown key (known: {string.Join(", ", TopLevelKeys)}; training options go under 'options' or in a grid)") { Line = SpecYamlReader.Line(keyNode) });
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
            .Select(e => e with { Line = e.Line ?? SpecYamlReader.FindLine(lines, e.Path) })).ToArray();
        return check with { Errors = all, Trials = all.Length == 0 ? check.Trials : [] };
    }
}
