using System.Globalization;
using System.Text;
using Sweep.Grains.Abstractions.Trials;
using Schema = Sweep.Options.TrialOptionSchema;

namespace Sweep.Grains.Abstractions.Specs;

/// <summary>
/// Checks a <see cref="SweepSpec"/> and expands it into trials: the same code runs in the client
/// (before connecting) and in the coordinator (before anything is persisted). Every error names
/// the key path and the value.
/// </summary>
public static class SweepSpecValidator
{
    private const int MaxNameLength = 64;

    /// <summary>The options a spec sets with top-level keys, by the key: `architecture` is the option `arch`.</summary>
    private static readonly Dictionary<string, string> TopLevelKeys = new(StringComparer.Ordinal)
    {
        [Schema.Architecture.Name] = "architecture", [Schema.Epochs.Name] = "epochs", [Schema.BatchSize.Name] = "batch-size",
    };

    /// <summary>
    /// Normalizes and checks <paramref name="spec"/>; a relative dataset directory is resolved
    /// against <paramref name="baseDirectory"/> (the spec file's folder) or the current directory.
    /// </summary>
    public static SpecCheck Check(SweepSpec spec, SweepSpecRules? rules = null, string? baseDirectory = null)
    {
        rules ??= SweepSpecRules.Default;
        var errors = new List<SpecError>();

        // Sizes first: the coordinator checks specs that no parser has seen, and a later error must not echo a megabyte.
        if (Oversized(spec) is { } oversized)
        {
            return new SpecCheck(spec, Array.Empty<TrialSpec>(), [oversized]);
        }

        var name = (spec.Name ?? "").Trim();
        if (name.Length == 0)
        {
            errors.Add(new("name", "is required"));
        }
        else if (name.Length > MaxNameLength || name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
        {
            errors.Add(new("name", $"'{name}' must be 1 to {MaxNameLength} letters, digits, '-', '_' or '.'"));
        }

        var architecture = NormalizeInto(errors, "architecture", Schema.Architecture.Name, spec.Architecture ?? "");
        var dataset = NormalizeDataset(errors, spec.Dataset ?? "", rules, baseDirectory);
        string? epochs = spec.Epochs is { } e ? NormalizeInto(errors, "epochs", Schema.Epochs.Name, e.ToString(CultureInfo.InvariantCulture)) : null;
        string? batchSize = spec.BatchSize is { } b ? NormalizeInto(errors, "batch-size", Schema.BatchSize.Name, b.ToString(CultureInfo.InvariantCulture)) : null;

        var options = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in spec.Options ?? new Dictionary<string, string>())
        {
            if (TopLevelKeys.TryGetValue(key, out var topLevel))
            {
                errors.Add(new($"options.{key}", $"set {key} with the top-level key '{topLevel}', not under options"));
                continue;
            }
            if (NormalizeInto(errors, $"options.{key}", key, value) is { } normalized)
            {
                options[key] = normalized;
            }
        }

        var grids = new List<SweepGrid>();
        if (spec.Grids is null || spec.Grids.Count == 0)
        {
            errors.Add(new("grids", "at least one grid is required (a map from factors such as seed, init, width to lists of values)"));
        }
        else
        {
            var gridNames = new HashSet<string>(StringComparer.Ordinal);
            for (var g = 0; g < spec.Grids.Count; g++)
            {
                grids.Add(NormalizeGrid(errors, spec.Grids[g], g, gridNames));
            }
        }

        VerdictSpecCheck.Check(errors, spec.Verdicts);

        var normalizedSpec = spec with
        {
            Name = name,
            Architecture = architecture ?? spec.Architecture ?? "",
            Dataset = dataset ?? spec.Dataset ?? "",
            Options = new Dictionary<string, string>(options, StringComparer.Ordinal),
            Grids = grids.ToArray(),
        };
        if (errors.Count > 0)
        {
            return new SpecCheck(normalizedSpec, Array.Empty<TrialSpec>(), errors);
        }

        var total = grids.Sum(g => g.Factors.Aggregate(1L, (n, f) => n * f.Values.Count));
        if (total > rules.MaxTrials)
        {
            errors.Add(new("grids", $"the grids expand to {total} trials, more than the limit of {rules.MaxTrials}"));
            return new SpecCheck(normalizedSpec, Array.Empty<TrialSpec>(), errors);
        }

        var baseSettings = new SortedDictionary<string, string>(options, StringComparer.Ordinal) { [Schema.Architecture.Name] = architecture! };
        if (epochs is not null)
        {
            baseSettings[Schema.Epochs.Name] = epochs;
        }
        if (batchSize is not null)
        {
            baseSettings[Schema.BatchSize.Name] = batchSize;
        }
        if (!baseSettings.ContainsKey(Schema.Validation.Name) && rules.KnownDatasets.Contains(dataset!, StringComparer.OrdinalIgnoreCase))
        {
            baseSettings[Schema.Validation.Name] = SweepSpecRules.DefaultValidation.ToString(CultureInfo.InvariantCulture);
        }
        var trials = TrialExpansion.Expand(errors, normalizedSpec, baseSettings, dataset!, rules);
        return new SpecCheck(normalizedSpec, errors.Count == 0 ? trials : Array.Empty<TrialSpec>(), errors)
        {
            Warnings = ControlWarnings.Of(trials),
        };
    }

    /// <summary>A canonical text of a normalized spec: equal texts mean the same sweep (used to make Launch idempotent).</summary>
    public static string CanonicalText(SweepSpec spec)
    {
        var text = new StringBuilder();
        text.Append("name=").Append(spec.Name).Append('\n')
            .Append("architecture=").Append(spec.Architecture).Append('\n')
            .Append("dataset=").Append(spec.Dataset).Append('\n')
            .Append("epochs=").Append(spec.Epochs?.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append("batch-size=").Append(spec.BatchSize?.ToString(CultureInfo.InvariantCulture)).Append('\n');
        foreach (var (key, value) in spec.Options.OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            text.Append("options.").Append(key).Append('=').Append(value).Append('\n');
        }
        if (spec.Verdicts is { } v)
        {
            text.Append("verdicts=").Append(string.Join('|', new double?[] { v.Confidence, v.MinTrials, v.WidthMargin, v.ErrorMargin, v.MaxTestError, v.MaxUndecided, v.MaxFailureRate, v.MinWidth }
                .Select(x => x?.ToString("R", CultureInfo.InvariantCulture) ?? ""))).Append('\n');
        }
        foreach (var grid in spec.Grids)
        {
            text.Append("grid ").Append(grid.Name).Append('\n');
            foreach (var factor in grid.Factors)
            {
                text.Append("  ").Append(factor.Name).Append('=').Append(string.Join('|', factor.Values)).Append('\n');
            }
        }
        // Only when present: the canonical text of a sweep launched before skips existed is unchanged.
        foreach (var skipped in (spec.Skip ?? []).Select(TrialSpec.Describe).Order(StringComparer.Ordinal))
        {
            text.Append("skip ").Append(skipped).Append('\n');
        }
        return text.ToString();
    }

    private static SpecError? Oversized(SweepSpec spec)
    {
        if ((spec.Description?.Length ?? 0) > SweepSpecLimits.MaxDescriptionLength)
        {
            return new("description", SweepSpecLimits.TooLong(spec.Description!.Length, SweepSpecLimits.MaxDescriptionLength));
        }
        var values = new List<(string Path, string? Value)> { ("name", spec.Name), ("architecture", spec.Architecture), ("dataset", spec.Dataset) };
        foreach (var (key, value) in spec.Options ?? new Dictionary<string, string>())
        {
            values.Add(("options", key));
            values.Add(("options", value));
        }
        var grids = spec.Grids ?? Array.Empty<SweepGrid>();
        for (var g = 0; g < grids.Count; g++)
        {
            values.Add(($"grids[{g}]", grids[g].Name));
            foreach (var factor in grids[g].Factors ?? Array.Empty<SweepFactor>())
            {
                values.Add(($"grids[{g}]", factor.Name));
                values.AddRange((factor.Values ?? Array.Empty<string>()).Select(v => ($"grids[{g}]", (string?)v)));
            }
        }
        return values.FirstOrDefault(v => (v.Value?.Length ?? 0) > SweepSpecLimits.MaxValueLength) is { Path: not null } too
            ? new(too.Path, SweepSpecLimits.TooLong(too.Value!.Length, SweepSpecLimits.MaxValueLength))
            : null;
    }

    private static string? NormalizeInto(List<SpecError> errors, string path, string option, string value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(new(path, "is required and cannot be empty"));
            return null;
        }
        if (Schema.Find(option) is not { } known)
        {
            errors.Add(new(path, Schema.Unknown(option)));
            return null;
        }
        if (known.ReservedReason is { } reserved)
        {
            errors.Add(new(path, reserved));
            return null;
        }
        var (normalized, error) = known.Canonicalize(value);
        if (error is not null)
        {
            errors.Add(new(path, error));
        }
        return normalized;
    }

    private static string? NormalizeDataset(List<SpecError> errors, string dataset, SweepSpecRules rules, string? baseDirectory)
    {
        var value = dataset.Trim();
        if (value.Length == 0)
        {
            errors.Add(new("dataset", $"is required: a known dataset ({string.Join(", ", rules.KnownDatasets)}) or a directory of IDX files"));
            return null;
        }
        if (rules.KnownDatasets.FirstOrDefault(k => string.Equals(k, value, StringComparison.OrdinalIgnoreCase)) is { } known)
        {
            return known.ToLowerInvariant();
        }
        var path = Path.IsPathRooted(value) ? value : Path.Combine(baseDirectory ?? Directory.GetCurrentDirectory(), value);
        path = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        if (rules.CheckDatasetDirectory && !Directory.Exists(path))
        {
            errors.Add(new("dataset", $"'{value}' is neither a known dataset ({string.Join(", ", rules.KnownDatasets)}) nor an existing directory ({path})"));
            return null;
        }
        return path;
    }

    private static SweepGrid NormalizeGrid(List<SpecError> errors, SweepGrid grid, int position, HashSet<string> gridNames)
    {
        var name = string.IsNullOrWhiteSpace(grid.Name) ? $"grid-{position + 1}" : grid.Name.Trim();
        var path = $"grids[{position}]";
        if (!gridNames.Add(name))
        {
            errors.Add(new($"{path}.name", $"grid name '{name}' is used twice"));
        }
        var factors = new List<SweepFactor>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        if (grid.Factors is null || grid.Factors.Count == 0)
        {
            errors.Add(new(path, $"grid '{name}' has no factors (map factors such as seed, init, width to lists of values)"));
        }
        foreach (var factor in grid.Factors ?? Array.Empty<SweepFactor>())
        {
            var factorPath = $"{path}.{factor.Name}";
            if (!seen.Add(factor.Name))
            {
                errors.Add(new(factorPath, $"factor '{factor.Name}' appears twice in grid '{name}'"));
                continue;
            }
            if (Schema.Find(factor.Name) is not { } option)
            {
                errors.Add(new(factorPath, Schema.Unknown(factor.Name)));
                continue;
            }
            if (option.ReservedReason is { } reserved)
            {
                errors.Add(new(factorPath, reserved));
                continue;
            }
            if (factor.Values is null || factor.Values.Count == 0)
            {
                errors.Add(new(factorPath, $"the list of {factor.Name} values is empty"));
                continue;
            }
            var values = new List<string>();
            for (var v = 0; v < factor.Values.Count; v++)
            {
                var valuePath = $"{factorPath}[{v}]";
                if (NormalizeInto(errors, valuePath, factor.Name, factor.Values[v]) is not { } normalized)
                {
                    continue;
                }
                if (values.Contains(normalized, StringComparer.Ordinal))
                {
                    errors.Add(new(valuePath, $"{factor.Name} value '{factor.Values[v]}' is listed twice"));
                    continue;
                }
                values.Add(normalized);
            }
            factors.Add(new SweepFactor { Name = factor.Name, Values = values.ToArray() });
        }
        return new SweepGrid { Name = name, Factors = factors.ToArray() };
    }

}
