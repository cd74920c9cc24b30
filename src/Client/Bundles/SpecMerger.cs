using System.Globalization;
using Sweep.Grains.Abstractions.Specs;
using Schema = Sweep.Options.TrialOptionSchema;

namespace Sweep.Client.Bundles;

/// <summary>
/// The rule for which bundles are parts of one design, and the design they make together.
/// Parts must agree on everything that defines a trial apart from the grids: name, dataset and the
/// settings every trial gets (architecture, epochs, batch size, options; the description may
/// differ; the verdict criteria are the first part's). Grids are matched by name; a grid that appears in several parts must have the same factors in the same order, and
/// either one part's grid contains the other's (every factor's values a subset) or the two differ
/// in the values of one factor only (the grid was split along that factor). The merged grid is then
/// the larger one or the union along that factor, so its trials are exactly the union of the parts'
/// trials. Values are kept in the order the parts are given (a containing grid's own order).
/// A part's skip list (`launch --only-missing`) is dropped: the skipped trials are other parts'.
/// </summary>
public static class SpecMerger
{
    /// <summary>
    /// How <paramref name="other"/> differs from <paramref name="spec"/> outside the grids, one line per
    /// field; empty when they agree. Settings are compared as the expansion gives them to every trial
    /// (options, architecture, epochs, batch size and the defaults a sweep adds, such as the
    /// validation split), so two spellings of the same trials agree; settings that a grid of either
    /// spec varies are the grids' business.
    /// </summary>
    public static IReadOnlyList<string> BaseDifferences(SweepSpec spec, string specSource, SweepSpec other, string otherSource)
    {
        var differences = new List<string>();
        void Compare(string field, string? a, string? b)
        {
            if (!string.Equals(a, b, StringComparison.Ordinal))
            {
                differences.Add($"{field}: {Show(a)} in {specSource}, {Show(b)} in {otherSource}");
            }
        }
        Compare("name", spec.Name, other.Name);
        Compare("dataset", spec.Dataset, other.Dataset);
        var factors = spec.Grids.Concat(other.Grids).SelectMany(g => g.Factors).Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        var settings = BaseSettings(spec, factors);
        var otherSettings = BaseSettings(other, factors);
        foreach (var key in settings.Keys.Union(otherSettings.Keys).Order(StringComparer.Ordinal))
        {
            Compare(key, settings.GetValueOrDefault(key), otherSettings.GetValueOrDefault(key));
        }
        return differences;
    }

    /// <summary>The design the bundles' specs make together; a <see cref="BundleException"/> naming the files when they are not parts of one.</summary>
    public static SweepSpec Merge(IReadOnlyList<ResultsBundle> bundles)
    {
        if (bundles.Count == 0)
        {
            throw new BundleException("no bundles to merge.");
        }
        var first = bundles[0];
        var firstSpec = first.Export.Spec!;
        var grids = new List<(SweepGrid Grid, string Source)>();
        foreach (var bundle in bundles)
        {
            var spec = bundle.Export.Spec!;
            if (BaseDifferences(firstSpec, first.Path, spec, bundle.Path) is { Count: > 0 } differences)
            {
                throw new BundleException($"{bundle.Path} and {first.Path} are not parts of one design:\n  - {string.Join("\n  - ", differences)}");
            }
            foreach (var grid in spec.Grids)
            {
                var at = grids.FindIndex(g => g.Grid.Name == grid.Name);
                if (at < 0)
                {
                    grids.Add((grid, bundle.Path));
                }
                else
                {
                    grids[at] = (MergeGrid(grids[at].Grid, grids[at].Source, grid, bundle.Path), grids[at].Source);
                }
            }
        }
        return firstSpec with
        {
            Description = bundles.Select(b => b.Export.Spec!.Description).FirstOrDefault(d => !string.IsNullOrEmpty(d)),
            Grids = grids.Select(g => g.Grid).ToArray(),
            Skip = [],
        };
    }

    private static SweepGrid MergeGrid(SweepGrid merged, string mergedSource, SweepGrid part, string partSource)
    {
        var names = merged.Factors.Select(f => f.Name).ToArray();
        var partNames = part.Factors.Select(f => f.Name).ToArray();
        if (!names.SequenceEqual(partNames, StringComparer.Ordinal))
        {
            throw new BundleException($"grid '{merged.Name}' has the factors [{string.Join(", ", names)}] in {mergedSource} but [{string.Join(", ", partNames)}] in {partSource}; parts of one grid need the same factors in the same order.");
        }
        var pairs = merged.Factors.Zip(part.Factors).ToArray();
        if (pairs.All(p => p.Second.Values.All(p.First.Values.Contains)))
        {
            return merged;
        }
        if (pairs.All(p => p.First.Values.All(p.Second.Values.Contains)))
        {
            return part;
        }
        var differing = pairs.Where(p => !p.First.Values.ToHashSet(StringComparer.Ordinal).SetEquals(p.Second.Values)).ToArray();
        if (differing.Length > 1)
        {
            throw new BundleException(
                $"grid '{merged.Name}' differs between {mergedSource} and {partSource} in {string.Join(" and ", differing.Select(d => $"{d.First.Name} ([{string.Join(", ", d.First.Values)}] vs [{string.Join(", ", d.Second.Values)}])"))}; "
                + "parts of one grid may split the values of one factor only, or one part's grid must contain the other's.");
        }
        var split = differing[0].First.Name;
        return merged with
        {
            Factors = pairs.Select(p => p.First.Name == split
                ? p.First with { Values = p.First.Values.Concat(p.Second.Values.Where(v => !p.First.Values.Contains(v))).ToArray() }
                : p.First).ToArray(),
        };
    }

    /// <summary>The settings every trial of the spec gets, the varied factors left out.</summary>
    private static Dictionary<string, string> BaseSettings(SweepSpec spec, HashSet<string> factors)
    {
        var check = SweepSpecValidator.Check(spec with { Skip = [] }, ExpansionRules);
        IEnumerable<KeyValuePair<string, string>> settings = check.Trials.Count > 0
            ? check.Trials[0].Settings
            // A spec today's rules reject (the merged design reports why): compare what it says.
            : spec.Options.Append(new(Schema.Architecture.Name, spec.Architecture))
                .Concat(spec.Epochs is { } e ? [new(Schema.Epochs.Name, e.ToString(CultureInfo.InvariantCulture))] : [])
                .Concat(spec.BatchSize is { } b ? [new(Schema.BatchSize.Name, b.ToString(CultureInfo.InvariantCulture))] : []);
        return settings.Where(s => !factors.Contains(s.Key)).ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal);
    }

    /// <summary>Expands a bundle's spec as the coordinator did, wherever its dataset directory lies and however large it is.</summary>
    internal static SweepSpecRules ExpansionRules { get; } = new() { MaxTrials = int.MaxValue, CheckDatasetDirectory = false };

    private static string Show(string? value) => value is null ? "(not set)" : $"'{value}'";
}
