namespace Sweep.Pruning.Data;

/// <summary>
/// No source could provide a verified copy of a dataset. The message lists every source tried
/// and why it failed; <see cref="Failures"/> holds the same as data.
/// </summary>
public sealed class DatasetFetchException : Exception
{
    public DatasetFetchException(string datasetName, string directory, IReadOnlyList<(string Source, Exception Error)> failures)
        : base(Describe(datasetName, directory, failures), failures.Count == 1 ? failures[0].Error : null)
    {
        DatasetName = datasetName;
        Directory = directory;
        Failures = failures;
    }

    public string DatasetName { get; }

    public string Directory { get; }

    public IReadOnlyList<(string Source, Exception Error)> Failures { get; }

    private static string Describe(string datasetName, string directory, IReadOnlyList<(string Source, Exception Error)> failures)
    {
        var lines = failures.Select((f, i) => $"  {i + 1}. {f.Source}: {f.Error.Message}");
        var header = failures.Count == 0
            ? $"Could not fetch dataset {datasetName} into {directory}: no source was configured."
            : $"Could not fetch dataset {datasetName} into {directory}; every source failed:";
        return string.Join(Environment.NewLine, lines.Prepend(header));
    }
}
