using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using System.Security.Cryptography;
using System.Text;

namespace Sweep.Pruning.Engine;

/// <summary>
/// What identifies a CPU for the convolution check: its model name and feature flags (the first processor
/// of /proc/cpuinfo), hashed. A host that moves to another CPU model, or a VM that exposes other flags
/// (AVX-512 on or off), gets another signature and is checked again.
/// </summary>
public sealed record CpuSignature(string ModelName, string Hash)
{
    private static readonly Lazy<CpuSignature> CurrentSignature = new(ReadCurrent);

    /// <summary>This machine's signature.</summary>
    public static CpuSignature Current => CurrentSignature.Value;

    /// <summary>The signature of the first processor described in <paramref name="cpuInfo"/> (the text of /proc/cpuinfo).</summary>
    public static CpuSignature FromCpuInfo(string cpuInfo)
    {
        string? model = null, flags = null;
        foreach (var line in cpuInfo.Split('\n'))
        {
            if (line.Trim().Length == 0 && (model is not null || flags is not null))
            {
                break; // the end of the first processor's block
            }
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                continue;
            }
            var key = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            if (key == "model name" && model is null)
            {
                model = value;
            }
            else if (key is "flags" or "Features" && flags is null)
            {
                flags = value;
            }
        }
        if (model is null && flags is null)
        {
            throw new FormatException("The CPU description has neither a 'model name' nor a 'flags' line.");
        }
        return Of(model ?? "unknown", flags ?? "");
    }

    private static CpuSignature Of(string model, string flags)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes($"{model}\n{flags}"));
        return new CpuSignature(model, Convert.ToHexStringLower(digest.AsSpan(0, 8)));
    }

    private static CpuSignature ReadCurrent()
    {
        const string cpuInfo = "/proc/cpuinfo";
        if (OperatingSystem.IsLinux() && File.Exists(cpuInfo))
        {
            try
            {
                return FromCpuInfo(File.ReadAllText(cpuInfo));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
            {
                // fall through: the instruction sets the runtime sees still tell the CPUs apart that matter here
            }
        }
        var features = $"avx2={Avx2.IsSupported} avx512f={Avx512F.IsSupported} avx512bw={Avx512BW.IsSupported} avx10={Avx10v1.IsSupported}";
        return Of($"{RuntimeInformation.ProcessArchitecture} {Environment.ProcessorCount} cores", features);
    }
}
