namespace Sweep.Pruning.Tests.Models;

/// <summary>
/// The test classes that read or set the process-wide switch of Sweep's direct convolutions (DirectConvolution.Enabled):
/// one collection, so xunit runs them one after another instead of side by side.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ConvolutionSwitch
{
    public const string Name = "Process-wide convolution switch";
}
