using Sweep.Pruning.Data;

namespace Sweep.Pruning.Tests.Data;

public class DatasetCacheTests
{
    [Fact]
    public async Task Concurrent_requests_for_one_directory_share_one_loaded_dataset()
    {
        using var files = new IdxTestFiles();
        var directory = files.WriteValidDataset();

        var loads = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => DatasetCache.Get(directory))));
        var viaOtherSpelling = DatasetCache.Get(Path.Combine(directory, ".") + Path.DirectorySeparatorChar);

        Assert.All(loads, d => Assert.Same(loads[0], d));
        Assert.Same(loads[0], viaOtherSpelling);
    }

    [Fact]
    public void A_failed_load_is_not_cached()
    {
        using var files = new IdxTestFiles();
        var directory = files.WriteValidDataset();
        File.Delete(files.PathOf(DatasetFiles.TrainLabels));

        Assert.Throws<DatasetFormatException>(() => DatasetCache.Get(directory));
        files.Write(DatasetFiles.TrainLabels, IdxTestFiles.Labels(0, 1, 2));

        Assert.Equal(3, DatasetCache.Get(directory).Train.Count);
    }
}
