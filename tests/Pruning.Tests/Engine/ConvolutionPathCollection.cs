namespace Sweep.Pruning.Tests.Engine;

/// <summary>Tests that switch or depend on this process's convolution path (oneDNN on or off, thread count, Sweep's direct kernels) run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class ConvolutionPathCollection
{
    public const string Name = "Convolution path";
}
