using Sweep.Pruning.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Sweep.Pruning.Tests;

/// <summary>Tiny gated networks and brute-force references for the estimator and compaction tests.</summary>
internal static class TinyNetworks
{
    /// <summary>5 features - fc 3 - fc 3 - 2 classes: 6 gates.</summary>
    public static GatedNetwork FullyConnected(int seed, string init = "kaiming-uniform") =>
        GatedNetwork.Create(
            [
                new LayerSpec("fc1", LayerKind.FullyConnected, 3),
                new LayerSpec("fc2", LayerKind.FullyConnected, 3),
                new LayerSpec("out", LayerKind.FullyConnected, 2),
            ],
            inputChannels: 5, inputSize: 1, init, new Generator((ulong)seed), theta0: 1.0);

    /// <summary>1x8x8 - conv 2 (3x3, pool 2) - conv 2 (2x2) - flatten - fc 3 - 2 classes: 7 gates.</summary>
    public static GatedNetwork Convolutional(int seed, int conv1 = 2, int conv2 = 2, int fc = 3) =>
        GatedNetwork.Create(
            [
                new LayerSpec("conv1", LayerKind.Convolution, conv1, Kernel: 3, Pool: 2),
                new LayerSpec("conv2", LayerKind.Convolution, conv2, Kernel: 2, Pool: 1),
                new LayerSpec("fc1", LayerKind.FullyConnected, fc),
                new LayerSpec("out", LayerKind.FullyConnected, 2),
            ],
            inputChannels: 1, inputSize: 8, "kaiming-uniform", new Generator((ulong)seed), theta0: 1.0);

    /// <summary>Sets every gate parameter to a random value in [low, high].</summary>
    public static void RandomThetas(GatedNetwork network, int seed, double low = 0.15, double high = 0.85)
    {
        var random = new Random(seed);
        foreach (var i in network.GatedIndices)
        {
            var layer = network.Layers[i];
            var values = Enumerable.Range(0, layer.Width).Select(_ => (float)(low + (high - low) * random.NextDouble())).ToArray();
            layer.Theta!.copy_(tensor(values));
        }
    }

    /// <summary>Every configuration of the network's gates, one per row, with each layer's slice [C, G_l] and the configuration's probability under theta.</summary>
    public static (Tensor?[] Gates, double[] Probability) AllConfigurations(GatedNetwork network)
    {
        var gated = network.GatedIndices.ToArray();
        var widths = gated.Select(i => network.Layers[i].Width).ToArray();
        var total = widths.Sum();
        var count = 1 << total;
        var thetas = gated.SelectMany(i => network.Layers[i].Theta!.data<float>().ToArray()).Select(t => (double)t).ToArray();
        var bits = new float[count, total];
        var probability = new double[count];
        for (var c = 0; c < count; c++)
        {
            probability[c] = 1;
            for (var g = 0; g < total; g++)
            {
                var on = ((c >> g) & 1) == 1;
                bits[c, g] = on ? 1 : 0;
                probability[c] *= on ? thetas[g] : 1 - thetas[g];
            }
        }
        var all = tensor(bits);
        var gates = new Tensor?[network.Layers.Count];
        var offset = 0;
        for (var k = 0; k < gated.Length; k++)
        {
            gates[gated[k]] = all.narrow(1, offset, widths[k]).contiguous();
            offset += widths[k];
        }
        return (gates, probability);
    }
}

/// <summary>Tiny networks with gated inputs.</summary>
internal static class TinyInputGatedNetworks
{
    /// <summary>3 gated features - fc 2 - fc 2 - 2 classes: 7 gates.</summary>
    public static Sweep.Pruning.Models.GatedNetwork Create(int seed) =>
        Sweep.Pruning.Models.GatedNetwork.Create(
            [
                new Sweep.Pruning.Models.LayerSpec("fc1", Sweep.Pruning.Models.LayerKind.FullyConnected, 2),
                new Sweep.Pruning.Models.LayerSpec("fc2", Sweep.Pruning.Models.LayerKind.FullyConnected, 2),
                new Sweep.Pruning.Models.LayerSpec("out", Sweep.Pruning.Models.LayerKind.FullyConnected, 2),
            ],
            inputChannels: 3, inputSize: 1, "kaiming-normal", new TorchSharp.torch.Generator((ulong)seed), theta0: 1.0, inputGates: true);
}
