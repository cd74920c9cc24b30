using Sweep.Pruning.Data;

namespace Sweep.Pruning.Tests.Data;

public class IdxReaderTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Reads_images_raw_or_gzip_with_exact_dimensions_and_values(bool gzip)
    {
        using var files = new IdxTestFiles();
        var path = files.Write("images", IdxTestFiles.Images(4, 2, 5, seed: 3), gzip);

        var array = IdxReader.ReadImages(path);

        Assert.Equal(new[] { 4, 2, 5 }, array.Dimensions);
        Assert.Equal(4, array.Count);
        Assert.Equal(10, array.ItemSize);
        Assert.Equal(IdxTestFiles.Pattern(40, seed: 3), array.Data);
    }

    [Fact]
    public void Reads_labels()
    {
        using var files = new IdxTestFiles();
        var path = files.Write("labels", IdxTestFiles.Labels(9, 0, 5));

        var array = IdxReader.ReadLabels(path);

        Assert.Equal(new[] { 3 }, array.Dimensions);
        Assert.Equal(new byte[] { 9, 0, 5 }, array.Data);
    }

    [Fact]
    public void Bad_magic_names_the_file_the_expected_and_the_found_magic()
    {
        using var files = new IdxTestFiles();
        var path = files.Write("images", IdxTestFiles.Idx(0x00000D03, [1, 1, 1], [0, 0, 0, 0]));

        var error = Assert.Throws<DatasetFormatException>(() => IdxReader.ReadImages(path));

        Assert.Equal(path, error.FilePath);
        Assert.Contains(path, error.Message);
        Assert.Contains("0x00000803", error.Message);
        Assert.Contains("0x00000D03", error.Message);
    }

    [Fact]
    public void Labels_file_read_as_images_is_a_magic_mismatch()
    {
        using var files = new IdxTestFiles();
        var path = files.Write("labels", IdxTestFiles.Labels(1, 2));

        var error = Assert.Throws<DatasetFormatException>(() => IdxReader.ReadImages(path));

        Assert.Contains("expected magic number 0x00000803", error.Message);
        Assert.Contains("found 0x00000801", error.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Truncated_file_names_the_file_and_both_lengths(bool gzip)
    {
        using var files = new IdxTestFiles();
        var full = IdxTestFiles.Images(2, 3, 3);
        var path = files.Write("images", full[..^5], gzip);

        var error = Assert.Throws<DatasetFormatException>(() => IdxReader.ReadImages(path));

        Assert.Equal(path, error.FilePath);
        Assert.Contains("truncated", error.Message);
        Assert.Contains($"need {full.Length} bytes", error.Message);
        Assert.Contains($"is {full.Length - 5} bytes long", error.Message);
    }

    [Fact]
    public void Truncated_header_is_reported()
    {
        using var files = new IdxTestFiles();
        var path = files.Write("images", IdxTestFiles.Images(2, 3, 3)[..9]);

        var error = Assert.Throws<DatasetFormatException>(() => IdxReader.ReadImages(path));

        Assert.Contains("truncated header", error.Message);
    }

    [Fact]
    public void Trailing_bytes_name_the_file_and_both_lengths()
    {
        using var files = new IdxTestFiles();
        var full = IdxTestFiles.Labels(1, 2, 3);
        var path = files.Write("labels", [.. full, 0, 0]);

        var error = Assert.Throws<DatasetFormatException>(() => IdxReader.ReadLabels(path));

        Assert.Equal(path, error.FilePath);
        Assert.Contains("trailing bytes", error.Message);
        Assert.Contains($"need {full.Length} bytes", error.Message);
        Assert.Contains($"is {full.Length + 2} bytes long", error.Message);
    }

    [Fact]
    public void Missing_file_is_named()
    {
        using var files = new IdxTestFiles();
        var path = files.PathOf("nothing-here");

        var error = Assert.Throws<DatasetFormatException>(() => IdxReader.ReadLabels(path));

        Assert.Equal(path, error.FilePath);
        Assert.Contains("not found", error.Message);
    }

    [Fact]
    public void Corrupt_gzip_is_named()
    {
        using var files = new IdxTestFiles();
        var path = files.Write("labels.gz", [1, 2, 3, 4, 5, 6]);

        var error = Assert.Throws<DatasetFormatException>(() => IdxReader.ReadLabels(path));

        Assert.Equal(path, error.FilePath);
        Assert.Contains("gzip", error.Message);
    }
}
