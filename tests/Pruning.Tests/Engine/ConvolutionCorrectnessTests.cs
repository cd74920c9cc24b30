using Sweep.Pruning.Engine;

namespace Sweep.Pruning.Tests.Engine;

[Collection(ConvolutionPathCollection.Name)]
public class ConvolutionCorrectnessTests
{
    [Fact]
    public void Float32_convolution_matches_float64_forward_and_gradients()
    {
        ConvolutionSelfCheck.EnsurePassed();
        var result = ConvolutionSelfCheck.Result;
        Assert.True(result.Passed, ConvolutionSelfCheck.Status);
        Assert.InRange(result.ForwardError, 0, ConvolutionSelfCheck.Tolerance);
    }

    [Fact]
    public void Fallback_path_without_onednn_matches_float64()
    {
        var wasEnabled = OneDnnSwitch.IsEnabled;
        OneDnnSwitch.SetEnabled(false);
        try
        {
            Assert.False(OneDnnSwitch.IsEnabled);
            var result = ConvolutionSelfCheck.RunNow();
            Assert.True(result.Passed, result.ToString());
        }
        finally
        {
            OneDnnSwitch.SetEnabled(wasEnabled);
        }
    }
}
