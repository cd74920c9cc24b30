using System.Globalization;
using Sweep.Grains.Abstractions.Trials;
using Schema = Sweep.Options.TrialOptionSchema;

namespace Sweep.Analysis;

/// <summary>The robustness factors (the schema's: seed, init, width) of a trial and the configuration it shares with its group.</summary>
public static class TrialFactors
{
    public static readonly string Seed = Schema.Seed.Name;
    public static readonly string Init = Schema.Init.Name;
    public static readonly string Width = Schema.Width.Name;

    /// <summary>The value of a robustness factor for a trial (the trainer's default when the sweep does not set it).</summary>
    public static string Level(TrialResult result, string factor) =>
        result.Setting(factor) ?? (Schema.Find(factor) ?? throw new ArgumentException($"'{factor}' is no option", nameof(factor))).DefaultText;

    public static double WidthOf(TrialResult result) =>
        double.TryParse(Level(result, Width), NumberStyles.Float, CultureInfo.InvariantCulture, out var w) ? w : double.NaN;

    /// <summary>Every option but the robustness factors and those the silo decides (threads); the prior made explicit.</summary>
    public static SortedDictionary<string, string> Configuration(IReadOnlyDictionary<string, string> settings)
    {
        var configuration = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in settings)
        {
            if (Schema.Find(key) is not ({ IsFactor: true } or { SpecMaySet: false }))
            {
                configuration[key] = value;
            }
        }
        configuration.TryAdd(Schema.Prior.Name, Schema.Prior.DefaultText);
        return configuration;
    }

    public static string ConfigurationKey(IReadOnlyDictionary<string, string> settings, bool withPrior = true) =>
        string.Join(';', Configuration(settings).Where(c => withPrior || c.Key != Schema.Prior.Name).Select(c => $"{c.Key}={c.Value}"));

    /// <summary>The cell of a trial in the robustness grid: its seed, init and width.</summary>
    public static string Cell(TrialResult result) => $"seed={Level(result, Seed)} init={Level(result, Init)} width={Level(result, Width)}";

    /// <summary>Numeric levels in numeric order, then the others in ordinal order.</summary>
    public static IEnumerable<T> OrderLevels<T>(IEnumerable<T> items, Func<T, string> level) =>
        items.OrderBy(i => double.TryParse(level(i), NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n : double.MaxValue)
            .ThenBy(i => level(i), StringComparer.Ordinal);
}
