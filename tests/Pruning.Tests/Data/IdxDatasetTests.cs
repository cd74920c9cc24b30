using Sweep.Pruning.Data;

namespace Sweep.Pruning.Tests.Data;

public class IdxDatasetTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Loads_four_files_as_unit_scaled_floats_and_int64_labels(bool gzip)
    {
        using var files = new IdxTestFiles();
        var directory = files.WriteValidDataset(gzip: gzip);

        var dataset = IdxDataset.Load(directory);

        Assert.Equal(Path.GetFullPath(directory), dataset.Directory);
        Assert.Equal(3, dataset.Train.Count);
        Assert.Equal(2, dataset.Test.Count);
        Assert.Equal(2, dataset.Train.Rows);
        Assert.Equal(3, dataset.Train.Columns);
        Assert.Equal(6, dataset.FeatureCount);
        Assert.Equal(DatasetDeclaration.DefaultClasses, dataset.ClassCount);
        Assert.Equal(new long[] { 0, 4, 2 }, dataset.Train.Labels);
        Assert.Equal(new long[] { 1, 3 }, dataset.Test.Labels);
        var expectedTrain = IdxTestFiles.Pattern(18, seed: 1).Select(b => b / 255f).ToArray();
        Assert.Equal(expectedTrain, dataset.Train.Images);
        Assert.Equal(expectedTrain[6..12], dataset.Train.Image(1).ToArray());
        Assert.All(dataset.Test.Images, v => Assert.InRange(v, 0f, 1f));
    }

    [Fact]
    public void Pixel_extremes_map_to_exactly_zero_and_one()
    {
        using var files = new IdxTestFiles();
        files.Write(DatasetFiles.TrainImages, IdxTestFiles.Idx(IdxReader.ImagesMagic, [1, 1, 3], [0, 255, 51]));
        files.Write(DatasetFiles.TrainLabels, IdxTestFiles.Labels(0));
        files.Write(DatasetFiles.TestImages, IdxTestFiles.Idx(IdxReader.ImagesMagic, [1, 1, 3], [255, 0, 0]));
        files.Write(DatasetFiles.TestLabels, IdxTestFiles.Labels(1));

        var dataset = IdxDataset.Load(files.Directory);

        Assert.Equal(0f, dataset.Train.Images[0]);
        Assert.Equal(1f, dataset.Train.Images[1]);
        Assert.Equal(0.2f, dataset.Train.Images[2], 6);
    }

    [Fact]
    public void Trials_of_a_process_share_one_copy_of_the_datasets_tensors()
    {
        using var files = new IdxTestFiles();
        files.Write(DatasetFiles.TrainImages, IdxTestFiles.Idx(IdxReader.ImagesMagic, [2, 1, 3], [0, 255, 51, 1, 2, 3]));
        files.Write(DatasetFiles.TrainLabels, IdxTestFiles.Labels(0, 1));
        files.Write(DatasetFiles.TestImages, IdxTestFiles.Idx(IdxReader.ImagesMagic, [1, 1, 3], [255, 0, 0]));
        files.Write(DatasetFiles.TestLabels, IdxTestFiles.Labels(1));
        var dataset = IdxDataset.Load(files.Directory);

        var first = dataset.ToTrainingData();
        var second = dataset.ToTrainingData();

        Assert.Same(first, second);
        Assert.Equal(dataset.Train.Images, first.Tensors.TrainImages.data<float>().ToArray());
        Assert.Equal(2, first.TrainCount);
    }

    [Fact]
    public void Every_byte_value_scales_to_exactly_value_over_255_on_vector_and_scalar_paths()
    {
        using var files = new IdxTestFiles();
        // 3 x 300 values: long enough for the vectorized loop, with a scalar tail, every byte value present.
        var pixels = IdxTestFiles.Pattern(900, seed: 11);
        files.Write(DatasetFiles.TrainImages, IdxTestFiles.Idx(IdxReader.ImagesMagic, [3, 15, 20], pixels));
        files.Write(DatasetFiles.TrainLabels, IdxTestFiles.Labels(0, 1, 2));
        files.Write(DatasetFiles.TestImages, IdxTestFiles.Idx(IdxReader.ImagesMagic, [1, 15, 20], IdxTestFiles.Pattern(300)));
        files.Write(DatasetFiles.TestLabels, IdxTestFiles.Labels(1));

        var dataset = IdxDataset.Load(files.Directory);

        Assert.Equal(256, pixels.Distinct().Count());
        Assert.Equal(pixels.Select(b => b / 255f).ToArray(), dataset.Train.Images);
    }

    [Fact]
    public void Mixed_raw_and_gzip_files_load()
    {
        using var files = new IdxTestFiles();
        files.Write(DatasetFiles.TrainImages, IdxTestFiles.Images(3, 2, 3), gzip: true);
        files.Write(DatasetFiles.TrainLabels, IdxTestFiles.Labels(0, 1, 2));
        files.Write(DatasetFiles.TestImages, IdxTestFiles.Images(1, 2, 3));
        files.Write(DatasetFiles.TestLabels, IdxTestFiles.Labels(1), gzip: true);

        var dataset = IdxDataset.Load(files.Directory);

        Assert.Equal(3, dataset.Train.Count);
        Assert.Equal(1, dataset.Test.Count);
    }

    [Fact]
    public void Any_directory_with_the_four_names_is_a_dataset_not_only_mnist()
    {
        using var files = new IdxTestFiles();
        // 5x4 images and 12 classes (declared): nothing like MNIST's 28x28 and 10 classes, checksums unknown.
        files.Write(DatasetDeclaration.FileName, """{ "classes": 12 }"""u8.ToArray());
        files.Write(DatasetFiles.TrainImages, IdxTestFiles.Images(7, 5, 4));
        files.Write(DatasetFiles.TrainLabels, IdxTestFiles.Labels(0, 1, 2, 3, 4, 5, 6));
        files.Write(DatasetFiles.TestImages, IdxTestFiles.Images(2, 5, 4));
        files.Write(DatasetFiles.TestLabels, IdxTestFiles.Labels(11, 0));

        var dataset = IdxDataset.Load(files.Directory);

        Assert.Equal(20, dataset.FeatureCount);
        Assert.Equal(12, dataset.ClassCount);
    }

    [Fact]
    public void Label_count_different_from_image_count_names_both_files()
    {
        using var files = new IdxTestFiles();
        var directory = files.WriteValidDataset();
        var labels = files.Write(DatasetFiles.TrainLabels, IdxTestFiles.Labels(0, 1, 2, 3));

        var error = Assert.Throws<DatasetFormatException>(() => IdxDataset.Load(directory));

        Assert.Equal(labels, error.FilePath);
        Assert.Contains("label count 4 does not match image count 3", error.Message);
        Assert.Contains(files.PathOf(DatasetFiles.TrainImages), error.Message);
    }

    [Fact]
    public void Train_and_test_image_sizes_must_match()
    {
        using var files = new IdxTestFiles();
        var directory = files.WriteValidDataset();
        var test = files.Write(DatasetFiles.TestImages, IdxTestFiles.Images(2, 3, 2));

        var error = Assert.Throws<DatasetFormatException>(() => IdxDataset.Load(directory));

        Assert.Equal(test, error.FilePath);
        Assert.Contains("images are 3x2", error.Message);
        Assert.Contains("are 2x3", error.Message);
    }

    [Fact]
    public void Missing_file_is_named_with_both_accepted_names()
    {
        using var files = new IdxTestFiles();
        var directory = files.WriteValidDataset();
        File.Delete(files.PathOf(DatasetFiles.TestLabels));

        var error = Assert.Throws<DatasetFormatException>(() => IdxDataset.Load(directory));

        Assert.Equal(files.PathOf(DatasetFiles.TestLabels), error.FilePath);
        Assert.Contains("missing", error.Message);
        Assert.Contains(DatasetFiles.TestLabels + ".gz", error.Message);
    }

    [Fact]
    public void Corrupt_file_in_a_dataset_is_named()
    {
        using var files = new IdxTestFiles();
        var directory = files.WriteValidDataset();
        var path = files.Write(DatasetFiles.TestImages, IdxTestFiles.Images(2, 2, 3)[..^1]);

        var error = Assert.Throws<DatasetFormatException>(() => IdxDataset.Load(directory));

        Assert.Equal(path, error.FilePath);
        Assert.Contains("truncated", error.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_label_outside_the_declared_classes_names_the_file_and_the_offset(bool gzip)
    {
        using var files = new IdxTestFiles();
        var directory = files.WriteValidDataset(gzip: gzip);
        // MNIST-like (no declaration): 10 classes, so label 10 of the third example is out of range.
        var labels = files.Write(DatasetFiles.TrainLabels, IdxTestFiles.Labels(0, 9, 10), gzip);

        var error = Assert.Throws<DatasetFormatException>(() => IdxDataset.Load(directory));
        var check = Assert.Throws<DatasetFormatException>(() => IdxDataset.Check(directory));

        Assert.Equal(labels, error.FilePath);
        Assert.Contains("label 10 at byte offset 10 (example 2)", error.Message, StringComparison.Ordinal);
        Assert.Contains("10 declared classes", error.Message, StringComparison.Ordinal);
        Assert.Equal(error.Message, check.Message);
    }

    [Fact]
    public void A_declared_class_count_bounds_the_labels()
    {
        using var files = new IdxTestFiles();
        var directory = files.WriteValidDataset();
        files.Write(DatasetDeclaration.FileName, """{ "classes": 4 }"""u8.ToArray());

        var error = Assert.Throws<DatasetFormatException>(() => IdxDataset.Load(directory));

        Assert.Equal(files.PathOf(DatasetFiles.TrainLabels), error.FilePath);
        Assert.Contains("label 4 at byte offset 9 (example 1)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Declared_checksums_are_verified_and_the_file_is_named()
    {
        using var files = new IdxTestFiles();
        var directory = files.WriteValidDataset();
        var good = DatasetChecksums.Compute(files.PathOf(DatasetFiles.TrainImages));
        files.Write(DatasetDeclaration.FileName, System.Text.Encoding.UTF8.GetBytes(
            $$"""{ "sha256": { "{{DatasetFiles.TrainImages}}": "{{good}}", "{{DatasetFiles.TestLabels}}": "{{new string('0', 64)}}" } }"""));

        var error = Assert.Throws<DatasetFormatException>(() => IdxDataset.Check(directory));

        Assert.Equal(files.PathOf(DatasetFiles.TestLabels), error.FilePath);
        Assert.Contains("checksum mismatch", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "classes": 1 }""", "\"classes\" is 1")]
    [InlineData("""{ "classes": 10, }""", "not valid JSON at line 1")]
    [InlineData("""{ "labels": 10 }""", "unknown key \"labels\"")]
    public void A_malformed_declaration_is_named(string declaration, string expected)
    {
        using var files = new IdxTestFiles();
        var directory = files.WriteValidDataset();
        var path = files.Write(DatasetDeclaration.FileName, System.Text.Encoding.UTF8.GetBytes(declaration));

        var error = Assert.Throws<DatasetFormatException>(() => IdxDataset.Check(directory));

        Assert.Equal(path, error.FilePath);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_describes_a_valid_dataset()
    {
        using var files = new IdxTestFiles();
        var directory = files.WriteValidDataset();

        Assert.EndsWith(": 3 train and 2 test images of 2x3, 10 classes", IdxDataset.Check(directory), StringComparison.Ordinal);
    }
}
