namespace Sweep.Pruning.Models;

/// <summary>The architectures of docs/ALGORITHM.md with a width multiplier k scaling every hidden layer.</summary>
public static class Architectures
{
    /// <summary>The layers of <paramref name="architecture"/> at width multiplier <paramref name="width"/> (hidden widths rounded, at least 1).</summary>
    public static IReadOnlyList<LayerSpec> Layers(string architecture, double width, int classes) => architecture switch
    {
        "lenet300-100" =>
        [
            new LayerSpec("fc1", LayerKind.FullyConnected, Scale(300, width)),
            new LayerSpec("fc2", LayerKind.FullyConnected, Scale(100, width)),
            new LayerSpec("fc3", LayerKind.FullyConnected, classes),
        ],
        "lenet5-caffe" =>
        [
            new LayerSpec("conv1", LayerKind.Convolution, Scale(20, width), Kernel: 5, Pool: 2),
            new LayerSpec("conv2", LayerKind.Convolution, Scale(50, width), Kernel: 5, Pool: 2),
            new LayerSpec("fc1", LayerKind.FullyConnected, Scale(500, width)),
            new LayerSpec("fc2", LayerKind.FullyConnected, classes),
        ],
        _ => throw new ArgumentException($"Unknown architecture '{architecture}'.", nameof(architecture)),
    };

    public static int Scale(int baseWidth, double k) => Math.Max(1, (int)Math.Round(baseWidth * k, MidpointRounding.AwayFromZero));
}
