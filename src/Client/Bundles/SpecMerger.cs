using System.Globalization;
using Sweep.Grains.Abstractions.Specs;

namespace Sweep.Client.Bundles;

/// <summary>
/// The rule for which bundles are parts of one design, and the design they make together.
/// Parts must agree on everything that defines a trial apart from the grids: name, architecture,
/// dataset, epochs, batch size and options (the description may differ). Grids are matched by
/// name; a grid that appears in several parts must have the same factors in the same order, and
/// either one part's grid contains the other's (every factor's values a subset) or the two differ
/// in the values of one factor only (the grid was split along that factor). The merged grid is then
/// the larger one or the union along that factor, so its trials are exactly the union of the parts'
/// trials. Values are kept in the order the parts are given (a containing grid's own order).
/// A part's skip list (`launch --only-missing`) is dropped: the skipped trials are other parts'.
/// </summary>
public static class SpecMerger
{
    /// <summary>How <paramref name="other"/> differs from <paramref name="spec"/> outside the grids, one line per field; empty when they agree.</summary>
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
        Compare("architecture", spec.Architecture, other.Architecture);
        Compare("dataset", spec.Dataset, other.Dataset);
        Compare("epochs", spec.Epochs?.ToString(CultureInfo.InvariantCulture), other.Epochs?.ToString(CultureInfo.InvariantCulture));
        Compare("batch-size", spec.BatchSize?.ToString(CultureInfo.InvariantCulture), other.BatchSize?.ToString(CultureInfo.InvariantCulture));
        foreach (var key in spec.Options.Keys.Union(other.Options.Keys).Order(StringComparer.Ordinal))
        {
            Compare($"options.{key}", spec.Options.GetValueOrDefault(key), other.Options.GetValueOrDefault(key));
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

    private static string Show(string? value) => value is null ? "(not set)" : $"'{value}'";
}
