namespace Sweep.Pruning.Engine;

/// <summary>One shape's errors, as the check process reports them.</summary>
public sealed record ConvolutionShapeError(string Shape, double Forward, double InputGradient, double WeightGradient, bool Passed);
