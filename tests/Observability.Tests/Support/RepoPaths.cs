namespace Sweep.Observability.Tests.Support;

/// <summary>Files of the repository under test, found from the test assembly's folder upwards.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Deploy => Path.Combine(Root, "deploy");

    public static string Of(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Sweep.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Sweep.sln not found above {AppContext.BaseDirectory}");
    }
}
