namespace Sweep.Pruning.Engine;

/// <summary>What the check process found on the convolution path it was started on.</summary>
public sealed record ConvolutionCheckReport(string Path, bool Passed, double Seconds, IReadOnlyList<ConvolutionShapeError> Shapes)
{
    public ConvolutionShapeError Worst =>
        Shapes.MaxBy(s => double.IsNaN(s.Forward + s.InputGradient + s.WeightGradient) ? double.PositiveInfinity : Math.Max(s.Forward, Math.Max(s.InputGradient, s.WeightGradient)))
        ?? throw new InvalidOperationException("The convolution check reported no shapes.");

    public ConvolutionVerdict ToVerdict(CpuSignature cpu, string version)
    {
        var worst = Worst;
        return new ConvolutionVerdict(cpu.Hash, cpu.ModelName, version, Passed, Shapes.Count,
            Math.Max(worst.Forward, Math.Max(worst.InputGradient, worst.WeightGradient)), worst.Shape,
            Shapes.Where(s => !s.Passed).Select(s => s.Shape).ToArray(), Seconds, DateTimeOffset.UtcNow);
    }
}
