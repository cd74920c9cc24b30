namespace Sweep.Pruning.Data;

/// <summary>One place a known dataset can be fetched from.</summary>
public interface IDatasetSource
{
    /// <summary>Names the source in progress messages and failure reports.</summary>
    string Description { get; }

    /// <summary>
    /// Writes the uncompressed standard files of <paramref name="dataset"/> into
    /// <paramref name="stagingDirectory"/> (which exists and is empty). Returns, per file name,
    /// where its content came from, for error messages. The caller verifies checksums.
    /// </summary>
    Task<IReadOnlyDictionary<string, string>> FetchAsync(
        KnownDataset dataset, string stagingDirectory, IProgress<string>? progress, CancellationToken cancellationToken);
}
