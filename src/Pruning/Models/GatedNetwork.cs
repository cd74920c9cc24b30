using TorchSharp;
using static TorchSharp.torch;

namespace Sweep.Pruning.Models;

/// <summary>
/// A feed-forward network whose hidden units (fully connected) and filters (convolutions) are
/// multiplied by Bernoulli gates with parameters theta (docs/ALGORITHM.md, "Gates, groups and what they own"). The output layer is
/// never gated. Parameters are ordered weight, bias per layer (index 2i, 2i+1).
/// </summary>
public sealed class GatedNetwork : IDisposable
{
    private GatedNetwork(IReadOnlyList<GatedLayer> layers, int inputChannels, int inputSize)
    {
        Layers = layers;
        InputChannels = inputChannels;
        InputSize = inputSize;
    }

    public IReadOnlyList<GatedLayer> Layers { get; }
    public int InputChannels { get; }
    public int InputSize { get; }
    public int Classes => Layers[^1].Width;
    public bool IsConvolutional => Layers[0].Kind == LayerKind.Convolution;

    public IEnumerable<int> GatedIndices => Enumerable.Range(0, Layers.Count).Where(i => Layers[i].Gated);

    /// <summary>True when the input features are gated (layer 0 is the input layer).</summary>
    public bool HasInputGates => Layers[0].Kind == LayerKind.Input;

    /// <summary>Weights and biases of the layers that have them, in order (weight, bias per layer).</summary>
    public IReadOnlyList<Tensor> Parameters => Layers.Where(l => l.HasParameters).SelectMany(l => new[] { l.Weight, l.Bias }).ToArray();

    /// <summary>Index in <see cref="Parameters"/> of layer <paramref name="i"/>'s weight (its bias follows).</summary>
    public int ParameterIndex(int i) => 2 * (HasInputGates ? i - 1 : i);

    /// <summary>
    /// Builds a network of <paramref name="specs"/> (every layer but the last gated) over images of
    /// <paramref name="inputChannels"/> x <paramref name="inputSize"/> x <paramref name="inputSize"/>, initialized
    /// by <paramref name="init"/> from <paramref name="generator"/>, every gate parameter at <paramref name="theta0"/>.
    /// </summary>
    public static GatedNetwork Create(
        IReadOnlyList<LayerSpec> specs, int inputChannels, int inputSize, string init, Generator generator, double theta0, bool inputGates = false)
    {
        var layers = new List<GatedLayer>();
        if (inputGates)
        {
            if (specs[0].Kind != LayerKind.FullyConnected)
            {
                throw new ArgumentException("Input gates need a fully connected first layer.", nameof(inputGates));
            }
            var features = inputChannels * inputSize * inputSize;
            layers.Add(new GatedLayer("input", LayerKind.Input, gated: true, 1, 1, 1, 1)
            {
                Theta = full(features, theta0, dtype: float32).DetachFromDisposeScope(),
                Alive = ones(features).DetachFromDisposeScope(),
                Features = arange(features, dtype: int64).DetachFromDisposeScope(),
            });
        }
        var channels = inputChannels;
        var size = inputSize;
        var previousKind = (LayerKind?)null;
        for (var i = 0; i < specs.Count; i++)
        {
            var spec = specs[i];
            var gated = i < specs.Count - 1;
            GatedLayer layer;
            long[] weightShape;
            if (spec.Kind == LayerKind.Convolution)
            {
                if (previousKind == LayerKind.FullyConnected)
                {
                    throw new ArgumentException("A convolution cannot follow a fully connected layer.", nameof(specs));
                }
                if (size - spec.Kernel + 1 < spec.Pool)
                {
                    throw new ArgumentException($"Layer {spec.Name}: input {size}x{size} too small for kernel {spec.Kernel} and pool {spec.Pool}.", nameof(specs));
                }
                layer = new GatedLayer(spec.Name, spec.Kind, gated, spec.Kernel, spec.Pool, size, 1);
                weightShape = [spec.Width, channels, spec.Kernel, spec.Kernel];
                channels = spec.Width;
                size = layer.OutputSize;
            }
            else
            {
                // After the input or a convolution the features are the flattened channels.
                var block = previousKind == LayerKind.Convolution ? size * size : 1;
                var inputs = previousKind == LayerKind.FullyConnected ? channels : channels * size * size;
                layer = new GatedLayer(spec.Name, spec.Kind, gated, 1, 1, 1, block);
                weightShape = [spec.Width, inputs];
                channels = spec.Width;
                size = 1;
            }
            var weight = empty(weightShape);
            var bias = empty(spec.Width);
            Initialization.Apply(init, weight, bias, generator);
            layer.Weight = weight.DetachFromDisposeScope().requires_grad_(true);
            layer.Bias = bias.DetachFromDisposeScope().requires_grad_(true);
            if (gated)
            {
                layer.Theta = full(spec.Width, theta0, dtype: float32).DetachFromDisposeScope();
                layer.Alive = ones(spec.Width).DetachFromDisposeScope();
            }
            layers.Add(layer);
            previousKind = spec.Kind;
        }
        return new GatedNetwork(layers, inputChannels, inputSize);
    }

    /// <summary>Shapes the flat [B, features] input for the first layer.</summary>
    public Tensor ShapeInput(Tensor flat) => IsConvolutional
        ? flat.view(flat.shape[0], InputChannels, InputSize, InputSize)
        : HasInputGates ? flat.index_select(1, Layers[0].Features!) : flat;

    /// <summary>Logits for inputs with the given gates per layer ([B, G] sampled, [1, G] for a fixed network, null for ungated).</summary>
    public Tensor Forward(Tensor input, IReadOnlyList<Tensor?> gates) => Downstream(0, Layers[0].Linear(input), gates);

    /// <summary>Like <see cref="Forward"/>, keeping each layer's affine output and activation (before gating) for the estimators.</summary>
    internal Tensor Forward(Tensor input, IReadOnlyList<Tensor?> gates, out ForwardRecord record)
    {
        var linear = new Tensor[Layers.Count];
        var activations = new Tensor[Layers.Count];
        var h = input;
        Tensor logits = null!;
        for (var i = 0; i < Layers.Count; i++)
        {
            var layer = Layers[i];
            var u = layer.Linear(h);
            linear[i] = u;
            var z = layer.Post(u);
            if (i == Layers.Count - 1)
            {
                logits = z;
                break;
            }
            var a = layer.Activation(z);
            activations[i] = a;
            h = gates[i] is { } g ? GatedLayer.ApplyGates(a, g) : a;
        }
        record = new ForwardRecord(logits, linear, activations);
        return logits;
    }

    /// <summary>The logits when layer <paramref name="j"/>'s affine output is <paramref name="linearJ"/> ([M, ...]), with per-row gates for layers j and later.</summary>
    internal Tensor Downstream(int j, Tensor linearJ, IReadOnlyList<Tensor?> gates)
    {
        var z = Layers[j].Post(linearJ);
        for (var k = j; k < Layers.Count - 1; k++)
        {
            var a = Layers[k].Activation(z);
            var h = gates[k] is { } g ? GatedLayer.ApplyGates(a, g) : a;
            z = Layers[k + 1].Post(Layers[k + 1].Linear(h));
        }
        return z;
    }

    /// <summary>Gates drawn per example: xi ~ Bernoulli(p) with p = theta (or <paramref name="probability"/>(layer)).</summary>
    internal Tensor?[] SampleGates(long batch, Generator generator, Func<GatedLayer, Tensor>? probability = null)
    {
        var gates = new Tensor?[Layers.Count];
        foreach (var i in GatedIndices)
        {
            var layer = Layers[i];
            var p = probability?.Invoke(layer) ?? layer.Theta!;
            gates[i] = rand(new[] { batch, (long)layer.Width }, generator: generator).lt(p).to_type(float32);
        }
        return gates;
    }

    /// <summary>The deterministic network's gates, [theta >= 0.5], as [1, G] rows.</summary>
    public Tensor?[] DeterministicGates() =>
        Layers.Select(l => l.Gated ? (Tensor?)l.Theta!.ge(0.5).to_type(float32).unsqueeze(0) : null).ToArray();

    /// <summary>The mean network's gates: outputs scaled by theta.</summary>
    public Tensor?[] MeanGates() =>
        Layers.Select(l => l.Gated ? (Tensor?)l.Theta!.unsqueeze(0) : null).ToArray();

    /// <summary>Input mask of layer <paramref name="i"/>: 1 for inputs from alive groups of the previous layer (expanded to flattened features); null for the first layer.</summary>
    internal Tensor? InputMask(int i)
    {
        if (i == 0 || !Layers[i - 1].Gated)
        {
            return null;
        }
        var alive = Layers[i - 1].Alive!;
        var block = Layers[i].InputBlock;
        return block > 1 ? alive.repeat_interleave(block) : alive;
    }

    /// <summary>Number of connected input groups of layer <paramref name="i"/> (a scalar tensor).</summary>
    internal Tensor AliveInputGroups(int i) => i == 0 || !Layers[i - 1].Gated
        ? tensor((float)Layers[i].InputGroups)
        : Layers[i - 1].Alive!.sum();

    /// <summary>Alive (not pruned) groups per gated layer; one host read.</summary>
    public int[] AliveWidths() => GatedIndices.Select(i => (int)Layers[i].Alive!.sum().item<float>()).ToArray();

    /// <summary>Groups with theta >= 0.5 per gated layer: the width of the deterministic network.</summary>
    public int[] DeterministicWidths() => GatedIndices.Select(i => (int)Layers[i].Theta!.ge(0.5).sum().item<long>()).ToArray();

    /// <summary>Gates strictly between 0 and 1 (alive groups only), and those between tolerance and 1 - tolerance.</summary>
    public (int Strict, int Tolerant) Undecided(double tolerance)
    {
        using var scope = NewDisposeScope();
        long strict = 0, tolerant = 0;
        foreach (var i in GatedIndices)
        {
            var t = Layers[i].Theta!;
            strict += (t.gt(0) & t.lt(1)).sum().item<long>();
            tolerant += (t.gt(tolerance) & t.lt(1 - tolerance)).sum().item<long>();
        }
        return ((int)strict, (int)tolerant);
    }

    /// <summary>Parameters and forward multiply-adds per example of this architecture with the given gated widths.</summary>
    public (long Parameters, long Flops) Count(IReadOnlyList<int> gatedWidths)
    {
        long parameters = 0, flops = 0;
        var gated = GatedIndices.ToArray();
        for (var i = 0; i < Layers.Count; i++)
        {
            var layer = Layers[i];
            var outputs = layer.Gated ? gatedWidths[Array.IndexOf(gated, i)] : layer.Width;
            var inputs = i > 0 && Layers[i - 1].Gated ? gatedWidths[Array.IndexOf(gated, i - 1)] : layer.InputGroups;
            parameters += outputs * layer.GroupParameters(inputs);
            flops += outputs * layer.GroupFlops(inputs);
        }
        return (parameters, flops);
    }

    /// <summary>Physical widths (compacted tensors) of the gated layers.</summary>
    public int[] PhysicalWidths() => GatedIndices.Select(i => Layers[i].Width).ToArray();

    /// <summary>
    /// Removes pruned groups physically (<see cref="NetworkCompaction"/>). Returns the slices applied, for the
    /// optimizer state. Throws <see cref="LayerCollapsedException"/> when a layer would lose its last group.
    /// </summary>
    internal IReadOnlyList<SliceOperation> Compact() => NetworkCompaction.Compact(this);

    public void Dispose()
    {
        foreach (var layer in Layers)
        {
            layer.Dispose();
        }
    }
}
