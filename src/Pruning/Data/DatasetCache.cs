using System.Collections.Concurrent;

namespace Sweep.Pruning.Data;

/// <summary>
/// Process-wide cache of loaded datasets, keyed by the directory's full path: every trial in a
/// process shares one copy, and concurrent first requests load it once. A failed load is not
/// cached, so fixing the files and asking again works.
/// </summary>
public static class DatasetCache
{
    private static readonly ConcurrentDictionary<string, Lazy<IdxDataset>> Loaded = new(PathComparer);

    private static StringComparer PathComparer =>
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;

    /// <summary>The dataset in <paramref name="directory"/>, loaded on first use.</summary>
    public static IdxDataset Get(string directory)
    {
        var key = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        var entry = Loaded.GetOrAdd(key, static k => new Lazy<IdxDataset>(() => IdxDataset.Load(k), LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            return entry.Value;
        }
        catch
        {
            Loaded.TryRemove(new KeyValuePair<string, Lazy<IdxDataset>>(key, entry));
            throw;
        }
    }

    /// <summary>Forgets every loaded dataset (their memory is freed once no trial holds them).</summary>
    public static void Clear() => Loaded.Clear();
}
