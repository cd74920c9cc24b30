using System.Text.Json;
using Sweep.Client.Exports;
using Sweep.Client.Output;

namespace Sweep.Client.Bundles;

/// <summary>
/// One results bundle: the file `sweep results ID --format json` (or `report`'s results.json)
/// wrote, read back into the <see cref="SweepExport"/> it holds.
/// </summary>
public sealed record ResultsBundle(string Path, SweepExport Export)
{
    public static async Task<ResultsBundle> LoadAsync(string path, CancellationToken cancellationToken)
    {
        if (Directory.Exists(path))
        {
            throw new BundleException($"bundle {path}: is a directory, not a file (give the results.json in it).");
        }
        if (!File.Exists(path))
        {
            throw new BundleException($"bundle {path}: the file does not exist.");
        }
        SweepExport export;
        try
        {
            export = SweepJson.Deserialize<SweepExport>(await File.ReadAllTextAsync(path, cancellationToken));
        }
        catch (JsonException ex)
        {
            throw new BundleException($"bundle {path}: not a results bundle (the JSON of `sweep results ID --format json`): {ex.Message}", ex);
        }
        // System.Text.Json fills `required` members but lets an explicit null through.
        if (export.Spec is null)
        {
            throw new BundleException($"bundle {path}: holds no spec (sweep {export.SweepId} was never launched), so its trials cannot be placed in a design.");
        }
        if (export.Results is null || export.Report is null)
        {
            throw new BundleException($"bundle {path}: has no {(export.Results is null ? "results" : "report")}.");
        }
        return new ResultsBundle(path, export);
    }

    public static async Task<IReadOnlyList<ResultsBundle>> LoadAllAsync(IEnumerable<string> paths, CancellationToken cancellationToken)
    {
        var bundles = new List<ResultsBundle>();
        foreach (var path in paths)
        {
            bundles.Add(await LoadAsync(path, cancellationToken));
        }
        return bundles;
    }
}
