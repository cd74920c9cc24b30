namespace Sweep.Pruning.Engine;

/// <summary>The largest float32-vs-float64 differences of one convolution, relative to each output's largest magnitude.</summary>
public sealed record ConvolutionCheckResult(double ForwardError, double InputGradientError, double WeightGradientError, double Tolerance)
{
    public bool Passed =>
        ForwardError <= Tolerance && InputGradientError <= Tolerance && WeightGradientError <= Tolerance
        && !double.IsNaN(ForwardError + InputGradientError + WeightGradientError);

    public override string ToString() =>
        $"conv2d float32 vs float64: forward {ForwardError:E2}, input gradient {InputGradientError:E2}, " +
        $"weight gradient {WeightGradientError:E2} (tolerance {Tolerance:E0})";
}
