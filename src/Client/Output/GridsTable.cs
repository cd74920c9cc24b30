using System.Globalization;
using Sweep.Grains.Abstractions.Specs;

namespace Sweep.Client.Output;

/// <summary>The grids of a checked spec and the trials each expands to: what `launch --dry-run` shows.</summary>
public static class GridsTable
{
    public static TableModel Build(SpecCheck check)
    {
        var rows = check.Spec.Grids.Select(grid => (IReadOnlyList<string>)
        [
            grid.Name,
            check.Trials.Count(t => t.Grid == grid.Name).ToString(CultureInfo.InvariantCulture),
            string.Join("; ", grid.Factors.Select(f => $"{f.Name}: {string.Join(", ", f.Values)}")),
        ]).ToList();
        var shared = new List<string> { $"architecture {check.Spec.Architecture}", $"dataset {check.Spec.Dataset}" };
        if (check.Spec.Epochs is { } epochs)
        {
            shared.Add($"epochs {epochs.ToString(CultureInfo.InvariantCulture)}");
        }
        if (check.Spec.BatchSize is { } batch)
        {
            shared.Add($"batch-size {batch.ToString(CultureInfo.InvariantCulture)}");
        }
        shared.AddRange(check.Spec.Options.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Key} {o.Value}"));
        return new TableModel($"Spec {check.Spec.Name}: {check.Trials.Count} trials", ["Grid", "Trials", "Factors"], rows)
        {
            Notes = ["Every trial: " + string.Join(", ", shared) + ". A grid's trials are the cartesian product of its factors."],
        };
    }
}
