using Sweep.Client.Cluster;

namespace Sweep.Client.Hosting;

/// <summary>
/// Finds the silo that `launch --local` runs: the configured path (--silo, SWEEP_SILO_PATH,
/// Sweep:LocalSilo:Path), else Sweep.Silo next to the client (a publish of both into one folder),
/// else src/Silo/bin/{configuration}/net10.0 of the source checkout the client was built in.
/// </summary>
public static class SiloLocator
{
    public const string AssemblyName = "Sweep.Silo";

    /// <summary>The command that starts the silo: the file to run and the arguments before the silo's own.</summary>
    public sealed record SiloCommand(string FileName, IReadOnlyList<string> Arguments, string Location);

    public static SiloCommand Locate(string? configuredPath, string? clientDirectory = null)
    {
        clientDirectory ??= AppContext.BaseDirectory;
        var tried = new List<string>();
        if (!string.IsNullOrWhiteSpace(configuredPath))
        {
            var path = Path.GetFullPath(configuredPath);
            return FromPath(path, tried) ?? throw NotFound(tried, configured: true);
        }
        if (FromPath(clientDirectory, tried) is { } beside)
        {
            return beside;
        }
        foreach (var candidate in CheckoutCandidates(clientDirectory))
        {
            if (FromPath(candidate, tried) is { } built)
            {
                return built;
            }
        }
        throw NotFound(tried, configured: false);
    }

    /// <summary>src/Silo/bin/&lt;configuration&gt;/&lt;framework&gt; in the checkout above the client, the client's own configuration first.</summary>
    private static IEnumerable<string> CheckoutCandidates(string clientDirectory)
    {
        var client = new DirectoryInfo(Path.TrimEndingDirectorySeparator(clientDirectory));
        var framework = client.Name;                       // net10.0
        var configuration = client.Parent?.Name ?? "Release";   // Release | Debug
        var configurations = new[] { configuration, "Release", "Debug" }.Distinct(StringComparer.Ordinal).ToArray();
        for (var dir = client.Parent; dir is not null; dir = dir.Parent)
        {
            var silo = Path.Combine(dir.FullName, "src", "Silo", "bin");
            if (Directory.Exists(silo))
            {
                foreach (var c in configurations)
                {
                    yield return Path.Combine(silo, c, framework);
                }
                yield break;
            }
        }
    }

    private static SiloCommand? FromPath(string path, List<string> tried)
    {
        if (Directory.Exists(path))
        {
            return FromPath(Path.Combine(path, AssemblyName + ".dll"), tried);
        }
        tried.Add(path);
        if (!File.Exists(path))
        {
            return null;
        }
        if (path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
        {
            return new SiloCommand(DotnetHost(), [path], path);
        }
        return new SiloCommand(path, [], path);
    }

    /// <summary>The dotnet host running this client when it runs under one, else "dotnet" from PATH.</summary>
    private static string DotnetHost()
    {
        var current = Environment.ProcessPath;
        return current is not null && Path.GetFileNameWithoutExtension(current).Equals("dotnet", StringComparison.OrdinalIgnoreCase) ? current : "dotnet";
    }

    private static LocalSiloException NotFound(List<string> tried, bool configured) =>
        new($"Cannot find the silo to start for --local ({(configured ? "configured path" : "looked in")}: {string.Join(", ", tried)}).\n" +
            "Build it with `dotnet build src/Silo -c Release`, or name it with --silo PATH or SWEEP_SILO_PATH (Sweep.Silo.dll, its executable or its folder),\n" +
            "or start a silo yourself (`dotnet run --project src/Silo`) and launch without --local.")
        { NotFound = true };
}
