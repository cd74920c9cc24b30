using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Sweep.Pruning.Data;

namespace Sweep.Pruning.Engine;

/// <summary>
/// Convolution verdicts on disk, one file per CPU signature and TorchSharp version (which pins libtorch and
/// its oneDNN), in &lt;user cache folder&gt;/sweep/engine, next to the datasets. A file that cannot be read,
/// does not parse or names another CPU or version is not trusted: the machine is checked again.
/// </summary>
public sealed class ConvolutionVerdictCache(string directory)
{
    public string Directory { get; } = directory;

    /// <summary>The default cache: &lt;user cache folder&gt;/sweep/engine.</summary>
    public static ConvolutionVerdictCache Default => new(Path.Combine(DataDirectories.UserCacheFolder(), "sweep", "engine"));

    /// <summary>The TorchSharp version this process runs (its informational version, which names the libtorch build).</summary>
    public static string CurrentVersion { get; } =
        typeof(TorchSharp.torch).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString() ?? "unknown";

    public string PathFor(CpuSignature cpu, string version)
    {
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{cpu.Hash}\n{version}")).AsSpan(0, 8));
        return Path.Combine(Directory, $"convolution-verdict-{key}.json");
    }

    /// <summary>The verdict cached for <paramref name="cpu"/> and <paramref name="version"/>, or null with why not.</summary>
    public ConvolutionVerdict? TryRead(CpuSignature cpu, string version, out string problem)
    {
        var path = PathFor(cpu, version);
        if (!File.Exists(path))
        {
            problem = "no cached verdict";
            return null;
        }
        try
        {
            var verdict = JsonSerializer.Deserialize<ConvolutionVerdict>(File.ReadAllText(path), ConvolutionJson.Options);
            if (verdict is null || verdict.CpuHash != cpu.Hash || verdict.TorchSharpVersion != version
                || verdict.Shapes <= 0 || verdict.WorstShape is null || verdict.Failures is null)
            {
                problem = $"cached verdict {path} does not describe this CPU and version";
                return null;
            }
            problem = "";
            return verdict;
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException or NotSupportedException)
        {
            problem = $"cached verdict {path} is unreadable ({ex.GetType().Name})";
            return null;
        }
    }

    /// <summary>Writes <paramref name="verdict"/> atomically (a reader sees the old file or the new one).</summary>
    public void Write(ConvolutionVerdict verdict, CpuSignature cpu)
    {
        var path = PathFor(cpu, verdict.TorchSharpVersion);
        System.IO.Directory.CreateDirectory(Directory);
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(verdict, ConvolutionJson.Indented));
        File.Move(temporary, path, overwrite: true);
    }
}
