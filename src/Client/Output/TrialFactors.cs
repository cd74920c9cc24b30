using System.Globalization;
using Sweep.Grains.Abstractions.Reports;
using Schema = Sweep.Options.TrialOptionSchema;

namespace Sweep.Client.Output;

/// <summary>
/// The robustness factors of a trial (seed, init, width) and the key of the group it belongs to
/// (every other setting, with the trainer's defaults where a spec left an option out).
/// </summary>
public static class TrialFactors
{
    /// <summary>The robustness factors, as the option schema marks them.</summary>
    public static IReadOnlyList<string> RobustnessFactors { get; } = [.. Schema.Factors.Select(o => o.Name)];

    /// <summary>The trial's value of option <paramref name="name"/>: the trainer's default (the schema's) where the settings leave it out.</summary>
    public static string Get(IReadOnlyDictionary<string, string> settings, string name) =>
        settings.TryGetValue(name, out var value) ? value : Schema.Find(name)?.DefaultText ?? "";

    public static string Architecture(IReadOnlyDictionary<string, string> settings) => Get(settings, Schema.Architecture.Name);

    public static string Width(IReadOnlyDictionary<string, string> settings) => Get(settings, Schema.Width.Name);

    public static string Init(IReadOnlyDictionary<string, string> settings) => Get(settings, Schema.Init.Name);

    public static string Seed(IReadOnlyDictionary<string, string> settings) => Get(settings, Schema.Seed.Name);

    public static string Prior(IReadOnlyDictionary<string, string> settings) => Get(settings, Schema.Prior.Name);

    /// <summary>
    /// The settings that make the group, by the coordinator's rule (Sweep.Analysis.TrialFactors.Configuration): all but the
    /// robustness factors and the options the silo decides (threads), the prior made explicit.
    /// </summary>
    public static IReadOnlyDictionary<string, string> GroupConfiguration(IReadOnlyDictionary<string, string> settings) =>
        Sweep.Analysis.TrialFactors.Configuration(settings);

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
