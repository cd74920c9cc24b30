using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sweep.Pruning.Engine;

/// <summary>JSON of the convolution check's reports and verdicts: errors of broken kernels are NaN or infinite, and must survive the trip.</summary>
internal static class ConvolutionJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        WriteIndented = false,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static JsonSerializerOptions Indented { get; } = new(Options) { WriteIndented = true };
}
