using Sweep.Grains.Abstractions.Trials;
using Schema = Sweep.Options.TrialOptionSchema;

namespace Sweep.Grains.Abstractions.Specs;

/// <summary>Warnings about a sweep's method and its fixed-prior controls that are not matched trial by trial.</summary>
internal static class ControlWarnings
{
    private static readonly string Flattening = Schema.Prior.DefaultText;

    /// <summary>
    /// The method is compared with a fixed-prior control trial by trial (same settings but the prior):
    /// warn, per control prior, when the two grids do not cover the same cells.
    /// </summary>
    public static SpecError[] Of(IReadOnlyList<TrialSpec> trials)
    {
        static string Prior(TrialSpec t) => t.Settings.GetValueOrDefault(Schema.Prior.Name, Flattening);
        static string Cell(TrialSpec t) => string.Join(", ", t.Settings.Where(s => s.Key != Schema.Prior.Name)
            .OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key}={s.Value}"));

        // Examples name only the settings that vary across the sweep, the ones a reader can act on.
        var varying = trials.SelectMany(t => t.Settings.Keys).Distinct(StringComparer.Ordinal)
            .Where(k => k != Schema.Prior.Name && trials.Select(t => t.Settings.GetValueOrDefault(k)).Distinct(StringComparer.Ordinal).Count() > 1)
            .ToHashSet(StringComparer.Ordinal);
        string Example(TrialSpec t) => string.Join(", ", t.Settings.Where(s => varying.Contains(s.Key))
            .OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key}={s.Value}"));
        var method = trials.Where(t => Prior(t) == Flattening).ToArray();
        var methodCells = method.Select(Cell).ToHashSet(StringComparer.Ordinal);
        var warnings = new List<SpecError>();
        foreach (var control in trials.Where(t => Prior(t) != Flattening).GroupBy(Prior, StringComparer.Ordinal))
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
                parts.Add($"{withoutMethod.Length} of its {control.Count()} trials have no {Flattening}-prior twin (e.g. {{{Example(withoutMethod[0])}}})");
            }
            if (withoutControl.Length > 0)
            {
                parts.Add($"{withoutControl.Length} of the {method.Length} {Flattening}-prior trials have no prior={control.Key} twin (e.g. {{{Example(withoutControl[0])}}})");
            }
            warnings.Add(new("grids", $"the prior={control.Key} ablation (grid {grids}) does not match the method's grid: {string.Join("; ", parts)}. " +
                "Method vs control compares matched trials only."));
        }
        return warnings.ToArray();
    }
}
