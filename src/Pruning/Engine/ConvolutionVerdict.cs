namespace Sweep.Pruning.Engine;

/// <summary>
/// The per-machine check's finding: whether oneDNN's uncapped float32 convolutions matched float64 on
/// every shape, for which CPU and TorchSharp version, and the worst shape.
/// </summary>
public sealed record ConvolutionVerdict(
    string CpuHash, string CpuModel, string TorchSharpVersion, bool Passed, int Shapes,
    double WorstError, string WorstShape, IReadOnlyList<string> Failures, double Seconds, DateTimeOffset CheckedAt)
{
    /// <summary>One line for logs.</summary>
    public string Describe() =>
        $"{(Passed ? "passed" : "FAILED")} on {Shapes} shapes in {Seconds:F1} s " +
        $"(worst {WorstError:E1} at {WorstShape}{(Failures.Count > 0 ? $"; failed: {string.Join(", ", Failures.Take(3))}{(Failures.Count > 3 ? ", ..." : "")}" : "")}), " +
        $"CPU '{CpuModel}' ({CpuHash}), TorchSharp {TorchSharpVersion}, checked {CheckedAt:yyyy-MM-dd HH:mm}Z";
}
