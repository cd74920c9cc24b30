using Sweep.Client.Commands;
using Xunit;

namespace Sweep.Client.Tests.Commands;

public class DataFetchCommandTests
{
    [Fact]
    public void Defaults_are_valid_and_name_mnist()
    {
        var settings = new DataFetchCommand.Settings();

        Assert.True(settings.Validate().Successful);
        Assert.Equal("mnist", settings.Dataset);
    }

    [Fact]
    public void Unknown_dataset_is_invalid_input_naming_the_known_ones()
    {
        var result = new DataFetchCommand.Settings { Dataset = "cifar-99" }.Validate();

        Assert.False(result.Successful);
        Assert.Contains("cifar-99", result.Message);
        Assert.Contains("mnist", result.Message);
    }

    [Fact]
    public void Missing_from_directory_is_invalid_input()
    {
        var missing = Path.Combine(Path.GetTempPath(), "sweep-no-such-dir-" + Guid.NewGuid().ToString("N"));

        var result = new DataFetchCommand.Settings { From = missing }.Validate();

        Assert.False(result.Successful);
        Assert.Contains(missing, result.Message);
    }
}
