using Sweep.Client.Cluster;
using Sweep.Client.Hosting;
using Xunit;

namespace Sweep.Client.Tests.Cluster;

public class SiloLocatorTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("sweep-checkout-").FullName;

    [Fact]
    public void Finds_the_silo_built_in_the_same_checkout_and_configuration()
    {
        var client = Directory.CreateDirectory(Path.Combine(_root, "src", "Client", "bin", "Release", "net10.0")).FullName;
        var debug = Touch(Path.Combine(_root, "src", "Silo", "bin", "Debug", "net10.0", "Sweep.Silo.dll"));
        var release = Touch(Path.Combine(_root, "src", "Silo", "bin", "Release", "net10.0", "Sweep.Silo.dll"));

        var command = SiloLocator.Locate(null, client);

        Assert.Equal(release, command.Location);
        Assert.Equal([release], command.Arguments);
        Assert.NotEqual(debug, command.Location);
    }

    [Fact]
    public void Configured_folder_or_executable_is_used_as_given()
    {
        var dll = Touch(Path.Combine(_root, "silo", "Sweep.Silo.dll"));
        var exe = Touch(Path.Combine(_root, "bin", "Sweep.Silo"));

        Assert.Equal(dll, SiloLocator.Locate(Path.Combine(_root, "silo"), _root).Location);
        var command = SiloLocator.Locate(exe, _root);
        Assert.Equal(exe, command.FileName);
        Assert.Empty(command.Arguments);
    }

    [Fact]
    public void Missing_silo_says_where_it_looked_and_how_to_build_it()
    {
        var error = Assert.Throws<LocalSiloException>(() => SiloLocator.Locate(null, Directory.CreateDirectory(Path.Combine(_root, "lonely")).FullName));

        Assert.True(error.NotFound);
        Assert.Contains(Path.Combine(_root, "lonely"), error.Message);
        Assert.Contains("dotnet build src/Silo", error.Message);
        Assert.Contains("SWEEP_SILO_PATH", error.Message);
    }

    private static string Touch(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "");
        return path;
    }

    public void Dispose()
    {
        Directory.Delete(_root, recursive: true);
        GC.SuppressFinalize(this);
    }
}
