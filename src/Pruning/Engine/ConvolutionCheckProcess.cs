using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Sweep.Pruning.Engine;

/// <summary>
/// Starts the convolution check in a child process: `dotnet exec` of Sweep.Pruning.dll itself (its
/// <see cref="ConvolutionCheckProgram"/>), with this process's dependency file and a runtime configuration for
/// this process's runtime. It needs nothing of the host, so the silo, `sweep train`, the bench and the test
/// host all start it the same way, from wherever Sweep.Pruning.dll was loaded.
/// </summary>
public static class ConvolutionCheckProcess
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Runs the check on a path: <paramref name="isa"/> "default" (oneDNN uncapped, what the decision needs),
    /// another oneDNN ISA name, or "native" (oneDNN off).
    /// </summary>
    public static ConvolutionCheckOutcome Run(string isa = "default", TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        try
        {
            var start = StartInfo(isa);
            using var process = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start.");
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(limit))
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
                return new(null, $"the check process ran past {limit.TotalSeconds:F0} s and was stopped");
            }
            process.WaitForExit(); // the output streams drain
            var line = stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault(l => l.StartsWith('{'));
            if (line is null)
            {
                var error = stderr.Result.Trim();
                return new(null, $"the check process exited with {process.ExitCode} and no report{(error.Length > 0 ? $": {Last(error, 400)}" : "")}");
            }
            var report = JsonSerializer.Deserialize<ConvolutionCheckReport>(line, ConvolutionJson.Options)
                ?? throw new JsonException("empty report");
            return report.Shapes.Count == 0 ? new(null, "the check process reported no shapes") : new(report, null);
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException or IOException or JsonException)
        {
            return new(null, $"the check process could not run: {ex.Message}");
        }
    }

    private static ProcessStartInfo StartInfo(string isa)
    {
        var assembly = typeof(ConvolutionCheckProcess).Assembly.Location;
        if (string.IsNullOrEmpty(assembly) || !File.Exists(assembly))
        {
            throw new InvalidOperationException("Sweep.Pruning.dll has no file to start (single-file or in-memory load).");
        }
        var start = new ProcessStartInfo(Muxer())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add("--runtimeconfig");
        start.ArgumentList.Add(RuntimeConfig());
        if (AppContext.GetData("APP_CONTEXT_DEPS_FILES") is string deps && deps.Split(';')[0] is { Length: > 0 } depsFile && File.Exists(depsFile))
        {
            start.ArgumentList.Add("--depsfile"); // this host's dependencies: TorchSharp and libtorch where this process found them
            start.ArgumentList.Add(depsFile);
        }
        start.ArgumentList.Add(assembly);
        start.ArgumentList.Add(ConvolutionCheckProgram.Argument);
        if (isa == "native")
        {
            start.ArgumentList.Add(ConvolutionCheckProgram.NativeArgument);
        }
        // The child decides nothing itself: it runs the path it is given, whatever this process inherited or set.
        start.Environment.Remove(EngineSetup.OneDnnIsaVariable);
        start.Environment.Remove(EngineSetup.AppliedIsaVariable);
        start.Environment[EngineSetup.SweepIsaVariable] = isa == "native" ? "default" : isa;
        return start;
    }

    // The dotnet host of the runtime this process runs on: <root>/shared/Microsoft.NETCore.App/<version>/ -> <root>/dotnet.
    private static string Muxer()
    {
        var name = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        var runtime = RuntimeEnvironment.GetRuntimeDirectory().TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        var root = Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(runtime)));
        if (root is not null && File.Exists(Path.Combine(root, name)))
        {
            return Path.Combine(root, name);
        }
        if (Environment.ProcessPath is { } self && Path.GetFileName(self) == name)
        {
            return self;
        }
        return name; // on PATH
    }

    // A runtime configuration for exactly this process's runtime (an application host, a test host or `dotnet`).
    private static string RuntimeConfig()
    {
        var version = Environment.Version.ToString(3);
        var path = Path.Combine(Path.GetTempPath(), $"sweep-convolution-check-{version}.runtimeconfig.json");
        var text = JsonSerializer.Serialize(new
        {
            runtimeOptions = new
            {
                tfm = string.Create(CultureInfo.InvariantCulture, $"net{Environment.Version.Major}.{Environment.Version.Minor}"),
                framework = new { name = "Microsoft.NETCore.App", version },
                configProperties = new Dictionary<string, object> { ["System.GC.Concurrent"] = false },
            },
        });
        if (!File.Exists(path) || File.ReadAllText(path) != text)
        {
            var temporary = $"{path}.{Environment.ProcessId}.tmp";
            File.WriteAllText(temporary, text);
            File.Move(temporary, path, overwrite: true);
        }
        return path;
    }

    private static string Last(string text, int characters) => text.Length <= characters ? text : "..." + text[^characters..];
}
