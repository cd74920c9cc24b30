namespace Sweep.Pruning.Data;

/// <summary>A directory the user names, holding the standard files raw or ".gz".</summary>
public sealed class DirectorySource : IDatasetSource
{
    private readonly string _directory;

    public DirectorySource(string directory)
    {
        _directory = Path.GetFullPath(directory);
    }

    public string Description => $"directory {_directory}";

    public async Task<IReadOnlyDictionary<string, string>> FetchAsync(
        KnownDataset dataset, string stagingDirectory, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(_directory))
        {
            throw new DirectoryNotFoundException($"{_directory}: directory not found.");
        }
        var origins = new Dictionary<string, string>();
        foreach (var name in dataset.Sha256ByFile.Keys)
        {
            var source = DatasetFiles.Require(_directory, name);
            progress?.Report($"copying {source}");
            await using var input = IdxReader.OpenContent(source);
            await using var output = new FileStream(Path.Combine(stagingDirectory, name), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
            await input.CopyToAsync(output, cancellationToken);
            origins[name] = source;
        }
        return origins;
    }
}
