using System.Text;
using Sweep.Client.Exports;
using Sweep.Client.Output;
using Sweep.Grains.Abstractions.Reports;
using Sweep.Grains.Abstractions.Trials;

namespace Sweep.Client.Reports;

/// <summary>The completed trials of one robustness group (architecture and prior and any other varied option), with the report's statistics for it.</summary>
public sealed record TrialGroup(string Label, string ShortLabel, string Slug, string Architecture, RobustnessGroup? Statistics, IReadOnlyList<TrialResult> Trials)
{
    /// <summary>Gated layers, in network order.</summary>
    public IReadOnlyList<string> Layers => Trials.SelectMany(t => t.LayerNames).Distinct(StringComparer.Ordinal).ToArray();

    /// <summary>Groups the export's completed trials the way the coordinator groups them, in the report's group order.</summary>
    public static IReadOnlyList<TrialGroup> FromExport(SweepExport export)
    {
        var completed = export.Results.Where(r => r.State == TrialState.Completed).OrderBy(r => r.Index).ToList();
        var byKey = completed.GroupBy(r => Key(TrialFactors.GroupConfiguration(r.Settings)), StringComparer.Ordinal).ToList();
        var groups = new List<TrialGroup>();
        var slugs = new HashSet<string>(StringComparer.Ordinal);
        foreach (var trials in byKey)
        {
            var first = trials.First();
            var statistics = TrialFactors.FindGroup(export.Report, first.Settings);
            var architecture = TrialFactors.Architecture(first.Settings);
            var label = statistics?.Label ?? $"arch={architecture} prior={TrialFactors.Prior(first.Settings)}";
            var slug = Slugify(label);
            for (var n = 2; !slugs.Add(slug); n++)
            {
                slug = Slugify(label) + "-" + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            groups.Add(new TrialGroup(label, ShortLabelOf(label, architecture), slug, architecture, statistics, trials.ToList()));
        }
        var order = export.Report.Groups.Select(g => g.Label).ToList();
        return groups.OrderBy(g => g.Statistics is null ? int.MaxValue : order.IndexOf(g.Statistics.Label)).ThenBy(g => g.Trials[0].Index).ToList();
    }

    public static string Slugify(string text)
    {
        var slug = new StringBuilder();
        foreach (var c in text.ToLowerInvariant())
        {
            slug.Append(char.IsAsciiLetterOrDigit(c) ? c : '-');
        }
        var result = slug.ToString();
        while (result.Contains("--", StringComparison.Ordinal))
        {
            result = result.Replace("--", "-", StringComparison.Ordinal);
        }
        return result.Trim('-');
    }

    private static string ShortLabelOf(string label, string architecture)
    {
        var without = label.Replace($"arch={architecture}", "", StringComparison.Ordinal).Trim();
        return without.Length == 0 ? label : without;
    }

    private static string Key(IReadOnlyDictionary<string, string> configuration) =>
        string.Join(' ', configuration.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}={c.Value}"));
}
