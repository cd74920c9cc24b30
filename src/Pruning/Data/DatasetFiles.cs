namespace Sweep.Pruning.Data;

/// <summary>
/// The four standard file names of an IDX classification dataset (as MNIST ships them), and how
/// they are found in a directory: the raw file, or else the same name with ".gz".
/// </summary>
public static class DatasetFiles
{
    public const string TrainImages = "train-images-idx3-ubyte";
    public const string TrainLabels = "train-labels-idx1-ubyte";
    public const string TestImages = "t10k-images-idx3-ubyte";
    public const string TestLabels = "t10k-labels-idx1-ubyte";

    /// <summary>All four names, in a fixed order.</summary>
    public static IReadOnlyList<string> All { get; } = [TrainImages, TrainLabels, TestImages, TestLabels];

    /// <summary>
    /// The path of <paramref name="name"/> in <paramref name="directory"/>, raw if present, else
    /// ".gz"; null when neither exists.
    /// </summary>
    public static string? Find(string directory, string name)
    {
        var raw = Path.Combine(directory, name);
        if (File.Exists(raw))
        {
            return raw;
        }
        var gz = raw + ".gz";
        return File.Exists(gz) ? gz : null;
    }

    /// <summary>Like <see cref="Find"/>, but a missing file is a <see cref="DatasetFormatException"/>.</summary>
    public static string Require(string directory, string name) =>
        Find(directory, name)
        ?? throw new DatasetFormatException(Path.Combine(directory, name),
            $"missing: expected {name} or {name}.gz in {directory}.");
}
