namespace Sweep.Pruning.Tests.Engine;

/// <summary>Tests that switch this process's convolution path (oneDNN on or off, thread count) run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class ConvolutionPathCollection
{
    public const string Name = "Convolution path";
}
