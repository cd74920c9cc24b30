namespace Sweep.Pruning.Data;

/// <summary>
/// An image classification dataset in IDX format: a train and a test split read from a directory
/// holding the four standard file names (<see cref="DatasetFiles"/>), each raw or ".gz". Any
/// directory with those files is a dataset, MNIST or not. Reading it needs no TorchSharp; the
/// tensors are made by <see cref="ToTrainingData"/>.
/// </summary>
public sealed class IdxDataset
{
    private readonly Lazy<Training.TrainingData> _trainingData;

    private IdxDataset(string directory, IdxSplit train, IdxSplit test, int classCount)
    {
        Directory = directory;
        Train = train;
        Test = test;
        ClassCount = classCount;
        _trainingData = new Lazy<Training.TrainingData>(
            () => new(Train.Images, Train.Labels, Test.Images, Test.Labels, Train.Rows, Train.Columns, ClassCount),
            LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Full path of the directory the dataset was read from.</summary>
    public string Directory { get; }

    public IdxSplit Train { get; }

    public IdxSplit Test { get; }

    /// <summary>The classes the directory declares (<see cref="DatasetDeclaration"/>; 10 when it declares none); every label is below it.</summary>
    public int ClassCount { get; }

    /// <summary>Values per example, the same in both splits.</summary>
    public int FeatureCount => Train.FeatureCount;

    /// <summary>
    /// The trainer's view of this dataset: its tensors, made on first use and then shared by every trial of
    /// the process (a dataset cached by <see cref="DatasetCache"/> is converted once, not once per trial:
    /// 219 MB of MNIST tensors per trial otherwise, freed only when the garbage collector finalizes them).
    /// </summary>
    public Training.TrainingData ToTrainingData() => _trainingData.Value;

    /// <summary>
    /// Reads and validates the four files against the directory's <see cref="DatasetDeclaration"/>.
    /// Throws <see cref="DatasetFormatException"/> naming the file at fault when one is missing,
    /// malformed, inconsistent with the others, has a label outside the declared classes, or does
    /// not have its declared checksum. Prefer <see cref="DatasetCache.Get"/>, which reads a directory once per process.
    /// </summary>
    public static IdxDataset Load(string directory)
    {
        var files = ReadChecked(directory);
        var train = IdxSplit.From(files.TrainImages, files.TrainLabels);
        var test = IdxSplit.From(files.TestImages, files.TestLabels);
        return new IdxDataset(files.Directory, train, test, files.Declaration.Classes);
    }

    /// <summary>
    /// The same checks as <see cref="Load"/> without making the training arrays: what a client runs
    /// before launching a sweep on the directory. Returns a one-line description of the dataset.
    /// </summary>
    public static string Check(string directory)
    {
        var files = ReadChecked(directory);
        return $"{files.Directory}: {files.TrainImages.Count} train and {files.TestImages.Count} test images of "
            + $"{files.TrainImages.Dimensions[1]}x{files.TrainImages.Dimensions[2]}, {files.Declaration.Classes} classes";
    }

    private sealed record CheckedFiles(string Directory, DatasetDeclaration Declaration, IdxArray TrainImages, IdxArray TrainLabels, IdxArray TestImages, IdxArray TestLabels);

    private static CheckedFiles ReadChecked(string directory)
    {
        var fullPath = Path.GetFullPath(directory);
        if (!System.IO.Directory.Exists(fullPath))
        {
            throw new DatasetFormatException(fullPath, "dataset directory not found.");
        }
        var declaration = DatasetDeclaration.Read(fullPath);
        var trainImagesPath = DatasetFiles.Require(fullPath, DatasetFiles.TrainImages);
        var trainLabelsPath = DatasetFiles.Require(fullPath, DatasetFiles.TrainLabels);
        var testImagesPath = DatasetFiles.Require(fullPath, DatasetFiles.TestImages);
        var testLabelsPath = DatasetFiles.Require(fullPath, DatasetFiles.TestLabels);

        var trainImages = IdxReader.ReadImages(trainImagesPath);
        var testImages = IdxReader.ReadImages(testImagesPath);
        if (trainImages.Dimensions[1] != testImages.Dimensions[1] || trainImages.Dimensions[2] != testImages.Dimensions[2])
        {
            throw new DatasetFormatException(testImagesPath,
                $"images are {testImages.Dimensions[1]}x{testImages.Dimensions[2]} but the train images in {trainImagesPath} are {trainImages.Dimensions[1]}x{trainImages.Dimensions[2]}; both splits must have the same size.");
        }
        var trainLabels = IdxReader.ReadLabels(trainLabelsPath);
        var testLabels = IdxReader.ReadLabels(testLabelsPath);
        foreach (var (images, labels) in new[] { (trainImages, trainLabels), (testImages, testLabels) })
        {
            if (images.Count != labels.Count)
            {
                throw new DatasetFormatException(labels.Path, $"label count {labels.Count} does not match image count {images.Count} in {images.Path}.");
            }
            CheckLabels(labels, declaration);
        }
        foreach (var (name, sha256) in declaration.Sha256ByFile)
        {
            var path = DatasetFiles.Require(fullPath, name);
            var actual = DatasetChecksums.Compute(path);
            if (!string.Equals(actual, sha256, StringComparison.OrdinalIgnoreCase))
            {
                throw new DatasetFormatException(path,
                    $"checksum mismatch: {DatasetDeclaration.FileName} declares SHA-256 {sha256} of the uncompressed content but it is {actual}.");
            }
        }
        return new CheckedFiles(fullPath, declaration, trainImages, trainLabels, testImages, testLabels);
    }

    private static void CheckLabels(IdxArray labels, DatasetDeclaration declaration)
    {
        var data = labels.Data;
        for (var i = 0; i < data.Length; i++)
        {
            if (data[i] >= declaration.Classes)
            {
                // Offset in the uncompressed file: an 8-byte header (magic, count), then one byte per label.
                throw new DatasetFormatException(labels.Path,
                    $"label {data[i]} at byte offset {8 + i} (example {i}) is outside the {declaration.Classes} declared classes [0, {declaration.Classes}); "
                    + $"a dataset with more classes declares them in {DatasetDeclaration.FileName} ({{ \"classes\": N }}).");
            }
        }
    }
}
