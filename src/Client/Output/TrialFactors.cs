using System.Globalization;
using Sweep.Grains.Abstractions.Reports;
using Sweep.Grains.Abstractions.Specs;

namespace Sweep.Client.Output;

/// <summary>
/// The robustness factors of a trial (seed, init, width) and the key of the group it belongs to
/// (every other setting, with the trainer's defaults where a spec left an option out).
/// </summary>
public static class TrialFactors
{
    /// <summary>The trainer's defaults for options a spec may leave out (TrainingOptions in src/Pruning).</summary>
    public static IReadOnlyDictionary<string, string> Defaults { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [TrialOptionCatalog.Width] = "1",
        [TrialOptionCatalog.Init] = "kaiming-uniform",
        [TrialOptionCatalog.Seed] = "0",
        [TrialOptionCatalog.Prior] = TrialOptionCatalog.DefaultPrior,
    };

    public static IReadOnlyList<string> RobustnessFactors { get; } = [TrialOptionCatalog.Seed, TrialOptionCatalog.Init, TrialOptionCatalog.Width];

    public static string Get(IReadOnlyDictionary<string, string> settings, string name) =>
        settings.TryGetValue(name, out var value) ? value : Defaults.GetValueOrDefault(name, "");

    public static string Architecture(IReadOnlyDictionary<string, string> settings) => Get(settings, TrialOptionCatalog.Architecture);

    public static string Width(IReadOnlyDictionary<string, string> settings) => Get(settings, TrialOptionCatalog.Width);

    public static string Init(IReadOnlyDictionary<string, string> settings) => Get(settings, TrialOptionCatalog.Init);

    public static string Seed(IReadOnlyDictionary<string, string> settings) => Get(settings, TrialOptionCatalog.Seed);

    public static string Prior(IReadOnlyDictionary<string, string> settings) => Get(settings, TrialOptionCatalog.Prior);

    /// <summary>The settings that make the group: all but seed, init and width, defaults filled in.</summary>
    public static IReadOnlyDictionary<string, string> GroupConfiguration(IReadOnlyDictionary<string, string> settings)
    {
        var configuration = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in settings)
        {
            if (!RobustnessFactors.Contains(key))
            {
                configuration[key] = value;
            }
        }
        configuration.TryAdd(TrialOptionCatalog.Prior, TrialOptionCatalog.DefaultPrior);
        return configuration;
    }

    /// <summary>The report group whose configuration the trial's settings match; null when none does.</summary>
    public static RobustnessGroup? FindGroup(SweepReport report, IReadOnlyDictionary<string, string> settings)
    {
        var mine = GroupConfiguration(settings);
        foreach (var group in report.Groups)
        {
            var theirs = GroupConfiguration(group.Configuration);
            if (Architecture(settings) == group.Architecture && Prior(settings) == group.Prior && Same(mine, theirs))
            {
                return group;
            }
        }
        // A coordinator may leave options every trial shares out of the group's configuration: match on what it lists.
        return report.Groups.FirstOrDefault(g => Architecture(settings) == g.Architecture && Prior(settings) == g.Prior
            && g.Configuration.All(c => mine.TryGetValue(c.Key, out var v) && v == c.Value));
    }

    /// <summary>Numeric order for numbers (widths), declaration order otherwise.</summary>
    public static IReadOnlyList<string> OrderLevels(IEnumerable<string> levels)
    {
        var distinct = levels.Distinct(StringComparer.Ordinal).ToList();
        return distinct.All(l => double.TryParse(l, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            ? distinct.OrderBy(l => double.Parse(l, CultureInfo.InvariantCulture)).ToList()
            : distinct;
    }

    private static bool Same(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && v == kv.Value);
}
