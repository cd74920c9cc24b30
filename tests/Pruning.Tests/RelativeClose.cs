using static TorchSharp.torch;

namespace Sweep.Pruning.Tests;

/// <summary>Float32 results against a float64 reference, within a tolerance relative to the reference's largest value.</summary>
internal static class RelativeClose
{
    public static void Assert(Tensor expected, Tensor actual, string what, double tolerance = 1e-5)
    {
        using var scope = NewDisposeScope();
        var e = expected.detach().to_type(float64);
        var scale = e.abs().max().item<double>();
        var error = (actual.detach().to_type(float64) - e).abs().max().item<double>();
        Xunit.Assert.True(scale > 0, $"{what}: the reference is zero, the comparison would be vacuous");
        Xunit.Assert.True(error <= tolerance * scale, $"{what}: max error {error:E2} against a largest value of {scale:E2}");
    }
}
