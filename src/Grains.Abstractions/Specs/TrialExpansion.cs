using Sweep.Grains.Abstractions.Trials;
using Sweep.Options;

namespace Sweep.Grains.Abstractions.Specs;

/// <summary>
/// A checked spec's grids as trials: the Cartesian product of each grid's factors over the base
/// settings, duplicates and skipped trials removed, each trial's settings read by the option schema.
/// </summary>
internal static class TrialExpansion
{
    private const int MaxSettingErrors = 10;

    public static TrialSpec[] Expand(List<SpecError> errors, SweepSpec spec, SortedDictionary<string, string> baseSettings, string dataset, SweepSpecRules rules)
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
                if (Invalid(trial.Settings, rules) is { } invalid && settingErrors++ < MaxSettingErrors)
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

    /// <summary>Why a trial's full settings are refused: the combinations of options the schema checks, then the rules' own check.</summary>
    private static string? Invalid(IReadOnlyDictionary<string, string> settings, SweepSpecRules rules) =>
        TrialOptions.Parse(settings) is { Succeeded: false } parse
            ? string.Join(" ", parse.Errors)
            : rules.SettingsValidator?.Invoke(settings);

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
