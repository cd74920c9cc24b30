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

    /// <summary>One more than the largest label in either split.</summary>
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
    /// Reads and validates the four files. Throws <see cref="DatasetFormatException"/> naming the
    /// file at fault when one is missing, malformed, or inconsistent with the others.
    /// Prefer <see cref="DatasetCache.Get"/>, which reads a directory once per process.
    /// </summary>
    public static IdxDataset Load(string directory)
    {
        var fullPath = Path.GetFullPath(directory);
        if (!System.IO.Directory.Exists(fullPath))
        {
            throw new DatasetFormatException(fullPath, "dataset directory not found.");
        }
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

        var train = IdxSplit.From(trainImages, IdxReader.ReadLabels(trainLabelsPath));
        var test = IdxSplit.From(testImages, IdxReader.ReadLabels(testLabelsPath));
        var classCount = (int)Math.Max(MaxOrMinusOne(train.Labels), MaxOrMinusOne(test.Labels)) + 1;
        return new IdxDataset(fullPath, train, test, classCount);
    }

    private static long MaxOrMinusOne(long[] labels) => labels.Length == 0 ? -1 : labels.Max();
}
