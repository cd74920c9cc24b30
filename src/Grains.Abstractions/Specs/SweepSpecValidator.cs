using System.Globalization;
using System.Text;
using Sweep.Grains.Abstractions.Trials;

namespace Sweep.Grains.Abstractions.Specs;

/// <summary>
/// Checks a <see cref="SweepSpec"/> and expands it into trials: the same code runs in the client
/// (before connecting) and in the coordinator (before anything is persisted). Every error names
/// the key path and the value.
/// </summary>
public static class SweepSpecValidator
{
    private const int MaxNameLength = 64;
    private const int MaxSettingErrors = 10;

    private static readonly HashSet<string> TopLevelOptions = new(StringComparer.Ordinal)
    {
        TrialOptionCatalog.Architecture, TrialOptionCatalog.Epochs, TrialOptionCatalog.BatchSize,
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

        var architecture = NormalizeInto(errors, "architecture", TrialOptionCatalog.Architecture, spec.Architecture ?? "");
        var dataset = NormalizeDataset(errors, spec.Dataset ?? "", rules, baseDirectory);
        string? epochs = spec.Epochs is { } e ? NormalizeInto(errors, "epochs", TrialOptionCatalog.Epochs, e.ToString(CultureInfo.InvariantCulture)) : null;
        string? batchSize = spec.BatchSize is { } b ? NormalizeInto(errors, "batch-size", TrialOptionCatalog.BatchSize, b.ToString(CultureInfo.InvariantCulture)) : null;

        var options = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in spec.Options ?? new Dictionary<string, string>())
        {
            if (TopLevelOptions.Contains(key))
            {
                errors.Add(new($"options.{key}", $"set {key} with the top-level key '{TopLevelKey(key)}', not under options"));
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

        CheckVerdicts(errors, spec.Verdicts);

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

        var baseSettings = new SortedDictionary<string, string>(options, StringComparer.Ordinal) { [TrialOptionCatalog.Architecture] = architecture! };
        if (epochs is not null)
        {
            baseSettings[TrialOptionCatalog.Epochs] = epochs;
        }
        if (batchSize is not null)
        {
            baseSettings[TrialOptionCatalog.BatchSize] = batchSize;
        }
        if (!baseSettings.ContainsKey(TrialOptionCatalog.Validation) && rules.KnownDatasets.Contains(dataset!, StringComparer.OrdinalIgnoreCase))
        {
            baseSettings[TrialOptionCatalog.Validation] = TrialOptionCatalog.DefaultSweepValidation.ToString(CultureInfo.InvariantCulture);
        }
        var trials = Expand(errors, normalizedSpec, baseSettings, dataset!, rules);
        return new SpecCheck(normalizedSpec, errors.Count == 0 ? trials : Array.Empty<TrialSpec>(), errors)
        {
            Warnings = ControlWarnings(trials),
        };
    }

    private static void CheckVerdicts(List<SpecError> errors, VerdictSpec? verdicts)
    {
        if (verdicts is null)
        {
            return;
        }
        const string s = VerdictSpec.Section;
        if (verdicts.Confidence is { } confidence && confidence is not (>= 0.5 and <= 0.999))
        {
            errors.Add(new($"{s}.confidence", $"{Text(confidence)} must be between 0.5 and 0.999 (0.95 for 95% intervals)"));
        }
        if (verdicts.MinTrials is { } minTrials && minTrials is < 2 or > 1000)
        {
            errors.Add(new($"{s}.min-trials", $"{minTrials} must be a whole number from 2 to 1000 (an interval needs two trials per level)"));
        }
        if (verdicts.WidthMargin is { } widthMargin && widthMargin is not (> 0 and <= 1))
        {
            errors.Add(new($"{s}.width-margin", $"{Text(widthMargin)} must be a fraction of the mean final width above 0 and at most 1 (0.10 for +-10%)"));
        }
        if (verdicts.ErrorMargin is { } errorMargin && errorMargin is not (> 0 and < 1))
        {
            errors.Add(new($"{s}.error-margin", $"{Text(errorMargin)} must be a test-error fraction between 0 and 1 (0.003 for +-0.3 points)"));
        }
        if (verdicts.MaxTestError is { } maxError && maxError is not (> 0 and < 1))
        {
            errors.Add(new($"{s}.max-test-error", $"{Text(maxError)} must be a test-error fraction between 0 and 1 (0.018 for 1.8%)"));
        }
        if (verdicts.MaxUndecided is < 0)
        {
            errors.Add(new($"{s}.max-undecided", $"{verdicts.MaxUndecided} must be 0 or more"));
        }
        if (verdicts.MaxFailureRate is { } rate && rate is not (>= 0 and < 1))
        {
            errors.Add(new($"{s}.max-failure-rate", $"{Text(rate)} must be a fraction from 0 to below 1 (0.05 for 5%)"));
        }
        if (verdicts.MinWidth is { } minWidth && minWidth is not > 0)
        {
            errors.Add(new($"{s}.min-width", $"{Text(minWidth)} must be a width multiplier above 0"));
        }
    }

    private static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>
    /// The method is compared with a fixed-prior control trial by trial (same settings but the prior):
    /// warn, per control prior, when the two grids do not cover the same cells.
    /// </summary>
    private static SpecError[] ControlWarnings(IReadOnlyList<TrialSpec> trials)
    {
        static string Prior(TrialSpec t) => t.Settings.GetValueOrDefault(TrialOptionCatalog.Prior, TrialOptionCatalog.DefaultPrior);
        static string Cell(TrialSpec t) => string.Join(", ", t.Settings.Where(s => s.Key != TrialOptionCatalog.Prior)
            .OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key}={s.Value}"));

        // Examples name only the settings that vary across the sweep, the ones a reader can act on.
        var varying = trials.SelectMany(t => t.Settings.Keys).Distinct(StringComparer.Ordinal)
            .Where(k => k != TrialOptionCatalog.Prior && trials.Select(t => t.Settings.GetValueOrDefault(k)).Distinct(StringComparer.Ordinal).Count() > 1)
            .ToHashSet(StringComparer.Ordinal);
        string Example(TrialSpec t) => string.Join(", ", t.Settings.Where(s => varying.Contains(s.Key))
            .OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key}={s.Value}"));
        var method = trials.Where(t => Prior(t) == TrialOptionCatalog.DefaultPrior).ToArray();
        var methodCells = method.Select(Cell).ToHashSet(StringComparer.Ordinal);
        var warnings = new List<SpecError>();
        foreach (var control in trials.Where(t => Prior(t) != TrialOptionCatalog.DefaultPrior).GroupBy(Prior, StringComparer.Ordinal))
        {
            var controlCells = control.Select(Cell).ToHashSet(StringComparer.Ordinal);
            var withoutMethod = control.Where(t => !methodCells.Contains(Cell(t))).ToArray();
            var withoutControl = method.Where(t => !controlCells.Contains(Cell(t))).ToArray();
            if (withoutMethod.Length == 0 && withoutControl.Length == 0)
            {
                continue;
            }
            var grids = string.Join(", ", control.Select(t => t.Grid).Distinct(StringComparer.Ordinal).Select(g => $"'{g}'"));
            var parts = new List<string>();
            if (withoutMethod.Length > 0)
            {
                parts.Add($"{withoutMethod.Length} of its {control.Count()} trials have no {TrialOptionCatalog.DefaultPrior}-prior twin (e.g. {{{Example(withoutMethod[0])}}})");
            }
            if (withoutControl.Length > 0)
            {
                parts.Add($"{withoutControl.Length} of the {method.Length} {TrialOptionCatalog.DefaultPrior}-prior trials have no prior={control.Key} twin (e.g. {{{Example(withoutControl[0])}}})");
            }
            warnings.Add(new("grids", $"the prior={control.Key} ablation (grid {grids}) does not match the method's grid: {string.Join("; ", parts)}. " +
                "Method vs control compares matched trials only."));
        }
        return warnings.ToArray();
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

    private static string TopLevelKey(string option) => option == TrialOptionCatalog.Architecture ? "architecture" : option;

    private static string? NormalizeInto(List<SpecError> errors, string path, string option, string value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(new(path, "is required and cannot be empty"));
            return null;
        }
        var (normalized, error) = TrialOptionCatalog.Normalize(option, value);
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
            if (TrialOptionCatalog.Reserved.TryGetValue(factor.Name, out var why))
            {
                errors.Add(new(factorPath, why));
                continue;
            }
            if (TrialOptionCatalog.Find(factor.Name) is null)
            {
                var (_, unknown) = TrialOptionCatalog.Normalize(factor.Name, "");
                errors.Add(new(factorPath, unknown!));
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

    private static TrialSpec[] Expand(List<SpecError> errors, SweepSpec spec, SortedDictionary<string, string> baseSettings, string dataset, SweepSpecRules rules)
    {
        var trials = new List<TrialSpec>();
        var firstGridOf = new Dictionary<string, string>(StringComparer.Ordinal);
        var settingErrors = 0;
        var skip = (spec.Skip ?? []).Select(TrialSpec.Describe).ToArray();
        var skipped = new HashSet<string>(skip, StringComparer.Ordinal);
        var matched = new HashSet<string>(StringComparer.Ordinal);
        foreach (var grid in spec.Grids)
        {
            foreach (var combination in CartesianProduct(grid.Factors))
            {
                var settings = new SortedDictionary<string, string>(baseSettings, StringComparer.Ordinal);
                foreach (var (factor, value) in combination)
                {
                    settings[factor] = value;
                }
                var trial = new TrialSpec
                {
                    Index = trials.Count,
                    Grid = grid.Name,
                    Dataset = dataset,
                    Settings = new Dictionary<string, string>(settings, StringComparer.Ordinal),
                };
                var description = trial.Describe();
                if (firstGridOf.TryGetValue(description, out var firstGrid))
                {
                    errors.Add(new($"grids.{grid.Name}", $"duplicate trial: {Distinguishing(combination)} was already produced by grid '{firstGrid}' ({description})"));
                    continue;
                }
                firstGridOf[description] = grid.Name;
                if (skipped.Contains(description))
                {
                    // Completed elsewhere: not a trial of this sweep; the indices stay contiguous.
                    matched.Add(description);
                    continue;
                }
                if (rules.SettingsValidator?.Invoke(trial.Settings) is { } invalid && settingErrors++ < MaxSettingErrors)
                {
                    errors.Add(new($"grids.{grid.Name}", $"trial {Distinguishing(combination)}: {invalid}"));
                }
                trials.Add(trial);
            }
        }
        for (var s = 0; s < skip.Length; s++)
        {
            if (!matched.Contains(skip[s]))
            {
                errors.Add(new($"skip[{s}]", $"no trial of the grids has the settings {skip[s]}"));
            }
        }
        return trials.ToArray();
    }

    private static string Distinguishing(IReadOnlyList<(string Factor, string Value)> combination) =>
        "{" + string.Join(", ", combination.Select(c => $"{c.Factor}={c.Value}")) + "}";

    private static IEnumerable<IReadOnlyList<(string Factor, string Value)>> CartesianProduct(IReadOnlyList<SweepFactor> factors)
    {
        IEnumerable<IReadOnlyList<(string, string)>> product = [Array.Empty<(string, string)>()];
        foreach (var factor in factors)
        {
            var current = factor;
            product = product.SelectMany(prefix => current.Values.Select(value => (IReadOnlyList<(string, string)>)[.. prefix, (current.Name, value)]));
        }
        return product;
    }
}
