using Sweep.Options;
using Sweep.Pruning.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Sweep.Pruning.Gates;

/// <summary>
/// The `exact` (local expectation) estimator of D_g = E[NLL(xi_g = 1) - NLL(xi_g = 0)]: for every
/// example and every group of a layer, the loss with that one gate flipped and the other gates as
/// sampled. Flipping group g of layer l changes layer l+1's affine output by a term that only
/// involves g's activation (a rank-one term for a fully connected layer, one channel's convolution
/// for a convolution), so the flipped losses of a whole layer come from one batched pass of
/// B x G rows through the downstream layers, computed in chunks of examples that stay in cache.
/// With <c>examples</c> &gt; 0 the flips are computed on the batch's first that many examples only: batches
/// are drawn from a shuffled order, so those rows are a uniform random subset of the training set, their
/// mean difference estimates D without bias, and every gate is still updated every step. With
/// <c>examplesEpochs</c> &gt; 0 that holds in the first that many epochs only, while the network is wide and its
/// flips cost most; later epochs flip every example.
/// </summary>
internal sealed class ExactEstimator(int maxGroups, int examples = 0, int examplesEpochs = 0) : IGateEstimator
{
    private int _epoch = 1;

    /// <summary>Largest number of float elements of one chunk's flipped affine output (16 MB): a chunk stays in cache.</summary>
    private const int ChunkElements = 1 << 22;

    public string Name => GateEstimatorKind.Exact.Name();

    /// <summary>Groups evaluated per layer and step; 0: all of them.</summary>
    public int MaxGroups => maxGroups;

    /// <summary>Examples of each batch whose flips are computed in the current epoch; 0: all of them.</summary>
    public int Examples => ExamplesIn(examples, examplesEpochs, _epoch);

    /// <summary>The examples option that holds in <paramref name="epoch"/> (1-based) under exact-examples-epochs = <paramref name="examplesEpochs"/>.</summary>
    public static int ExamplesIn(int examples, int examplesEpochs, int epoch) => examplesEpochs == 0 || epoch <= examplesEpochs ? examples : 0;

    public void BeginEpoch(int epoch) => _epoch = epoch;

    public bool DifferentiatesGates => false;

    /// <summary>How many of a batch's <paramref name="batch"/> examples the estimate uses.</summary>
    public int EvaluatedExamples(int batch) => EvaluatedExamples(Examples, batch);

    /// <summary>How many of <paramref name="batch"/> examples an estimator with option exact-examples = <paramref name="examples"/> flips (0: all).</summary>
    public static int EvaluatedExamples(int examples, int batch) => examples > 0 ? Math.Min(examples, batch) : batch;

    public Tensor?[] SampleGates(GatedNetwork network, long batch, Generator generator) => network.SampleGates(batch, generator);

    /// <summary>
    /// On the batch's first <see cref="EvaluatedExamples(int)"/> examples; with maxGroups &gt; 0, a random subset of that
    /// many groups per layer and step (the others keep their theta).
    /// </summary>
    public GateEstimate Estimate(GateBatch batch)
    {
        var size = (int)batch.Labels.shape[0];
        var rows = EvaluatedExamples(size);
        var (record, gates, labels, loss) = rows == size
            ? (batch.Record, batch.Gates, batch.Labels, batch.Loss)
            : FirstRows(batch, size, rows);
        var d = Estimate(batch.Network, record, gates, labels, loss, Losses.CrossEntropy, maxGroups, batch.Generator, out var masks);
        return new GateEstimate(d, masks);
    }

    // The step's record, gates, labels and losses of its first `rows` examples (views, dimension 0).
    private static (ForwardRecord, IReadOnlyList<Tensor?>, Tensor, Tensor) FirstRows(GateBatch batch, int size, int rows)
    {
        Tensor? First(Tensor? t) => t is not null && t.dim() > 0 && t.shape[0] == size ? t.narrow(0, 0, rows) : t;
        var record = new ForwardRecord(First(batch.Record.Logits)!, [.. batch.Record.Linear.Select(t => First(t)!)], [.. batch.Record.Activations.Select(t => First(t)!)]);
        return (record, [.. batch.Gates.Select(First)], First(batch.Labels)!, First(batch.Loss)!);
    }

    /// <summary>
    /// D per layer (null for ungated layers) averaged over the batch. With <paramref name="maxGroups"/> &gt; 0,
    /// only a random subset of that many groups per layer is evaluated; <paramref name="updateMasks"/> then marks
    /// them (the others get D = 0 and must not be updated this step).
    /// </summary>
    public static Tensor?[] Estimate(
        GatedNetwork network, ForwardRecord record, IReadOnlyList<Tensor?> gates, Tensor labels, Tensor loss,
        PerExampleLoss lossFunction, int maxGroups, Generator generator, out Tensor?[] updateMasks)
    {
        var result = new Tensor?[network.Layers.Count];
        updateMasks = new Tensor?[network.Layers.Count];
        using var noGrad = no_grad();
        foreach (var l in network.GatedIndices)
        {
            var width = network.Layers[l].Width;
            if (maxGroups > 0 && maxGroups < width)
            {
                var subset = randperm(width, generator: generator).narrow(0, 0, maxGroups);
                var d = PerExample(network, l, record, gates, labels, loss, lossFunction, subset).mean(new long[] { 0 });
                result[l] = zeros(width).index_copy(0, subset, d);
                updateMasks[l] = zeros(width).index_fill(0, subset, 1.0);
            }
            else
            {
                result[l] = PerExample(network, l, record, gates, labels, loss, lossFunction, null).mean(new long[] { 0 });
            }
        }
        return result;
    }

    /// <summary>
    /// Per example b and group g of layer <paramref name="l"/>: NLL_b(xi_g = 1) - NLL_b(xi_g = 0) with the
    /// other gates as sampled, [B, G] (or [B, |subset|]). <paramref name="loss"/> is the sampled per-example loss.
    /// </summary>
    internal static Tensor PerExample(
        GatedNetwork network, int l, ForwardRecord record, IReadOnlyList<Tensor?> gates, Tensor labels, Tensor loss,
        PerExampleLoss lossFunction, Tensor? subset, bool allowKernel = true)
    {
        using var noGrad = no_grad();
        var j = l + 1;
        var next = network.Layers[j];
        var activation = record.Activations[l].detach();
        var xi = gates[l]!;
        var nextLinear = record.Linear[j].detach();
        var weight = next.Weight.detach();
        var flatten = next.Kind == LayerKind.FullyConnected && activation.dim() == 4;
        if (flatten)
        {
            // [O, G*HW] -> [O, G, HW]: the block of columns each channel feeds.
            weight = weight.view(weight.shape[0], activation.shape[1], -1);
        }
        if (subset is not null)
        {
            activation = activation.index_select(1, subset);
            xi = xi.index_select(1, subset);
            weight = weight.index_select(1, subset);
        }
        var batch = activation.shape[0];
        var groups = activation.shape[1];
        var direction = xi * 2 - 1;          // +1 where the gate is on (D = L - L_flipped), -1 where off
        var flipSign = -direction;           // flipping an on gate removes the activation, an off gate adds it
        if (allowKernel && UseKernel(network, j, flatten, lossFunction, gates))
        {
            var after = network.Layers[j + 1];
            var signedAll = GatedLayer.ApplyGates(activation, flipSign);
            var flippedAll = FlipLossKernel.FlippedLoss(signedAll, nextLinear, weight, gates[j]!, after.Weight.detach(), after.Bias.detach(), labels);
            return direction * (loss.unsqueeze(1) - flippedAll);
        }
        if (allowKernel && UseOutputKernel(network, j, flatten, lossFunction))
        {
            var flippedAll = FlipLossKernel.FlippedLossAtOutput(GatedLayer.ApplyGates(activation, flipSign), nextLinear, weight, labels);
            return direction * (loss.unsqueeze(1) - flippedAll);
        }
        if (allowKernel && flatten && FlattenFlips.Applies(network, j, lossFunction))
        {
            var flippedAll = FlattenFlips.FlippedLoss(network, j, GatedLayer.ApplyGates(activation, flipSign), weight, nextLinear, gates, labels);
            return direction * (loss.unsqueeze(1) - flippedAll);
        }
        if (allowKernel && ConvolutionFlips.Applies(network, j, lossFunction))
        {
            var flippedAll = ConvolutionFlips.FlippedLoss(network, j, GatedLayer.ApplyGates(activation, flipSign), weight, nextLinear, gates, labels);
            return direction * (loss.unsqueeze(1) - flippedAll);
        }
        var perExample = nextLinear.numel() / batch;
        var chunk = Math.Max(1L, ChunkElements / Math.Max(1L, groups * perExample));
        var parts = new List<Tensor>();
        var chunkGates = new Tensor?[network.Layers.Count];
        for (var start = 0L; start < batch; start += chunk)
        {
            var length = Math.Min(chunk, batch - start);
            var signed = GatedLayer.ApplyGates(activation.narrow(0, start, length), flipSign.narrow(0, start, length));
            var linearChunk = nextLinear.narrow(0, start, length);
            var labelsChunk = labels.narrow(0, start, length);
            for (var k = j; k < network.Layers.Count; k++)
            {
                chunkGates[k] = gates[k]?.narrow(0, start, length);
            }
            Tensor flippedLoss;
            if (next.Kind == LayerKind.FullyConnected)
            {
                // Layer j's flipped outputs in the "groups last" layout [len, O_j, G]: the products downstream
                // are then [O_j+1 x O_j] x [O_j x G] per example, which run far faster than G rows of O_j x O_j+1
                // when O_j+1 is small (the classes), and the loss reduces over a leading class axis.
                var flippedT = flatten
                    ? linearChunk.unsqueeze(2) + bmm(weight.permute(1, 0, 2), signed.reshape(length, groups, -1).permute(1, 2, 0)).permute(2, 1, 0)
                    : addcmul(linearChunk.unsqueeze(2), weight.unsqueeze(0), signed.unsqueeze(1), 1);   // rank-one terms a_g W[:, g]
                flippedLoss = FlippedLossGroupsLast(network, j, flippedT, chunkGates, labelsChunk, lossFunction);
            }
            else
            {
                // Convolution: channel g convolved with the next weights' input channel g alone (a grouped
                // convolution), then B*G rows through the rest of the network.
                var flipped = linearChunk.unsqueeze(1) + ConvolutionDelta(weight, signed);
                var rows = flipped.reshape(FlattenFirstTwo(flipped.shape));
                var rowGates = chunkGates.Select(g => g?.repeat_interleave(groups, dim: 0)).ToArray();
                var logits = network.Downstream(j, rows, rowGates);
                flippedLoss = lossFunction(logits, labelsChunk.repeat_interleave(groups, dim: 0)).view(length, groups);
            }
            parts.Add(direction.narrow(0, start, length) * (loss.narrow(0, start, length).unsqueeze(1) - flippedLoss));
        }
        return parts.Count == 1 ? parts[0] : cat(parts, 0);
    }

    // FlipLossKernel computes layer j's flips when j is a plain fully connected layer, gated, followed by the output layer, with cross-entropy.
    private static bool UseKernel(GatedNetwork network, int j, bool flatten, PerExampleLoss lossFunction, IReadOnlyList<Tensor?> gates) =>
        FlipLossKernel.IsAvailable && !flatten && ReferenceEquals(lossFunction, Losses.CrossEntropy)
        && network.Layers[j].Kind == LayerKind.FullyConnected && j == network.Layers.Count - 2 && gates[j] is not null;

    // FlipLossKernel also computes the flips of the last hidden layer (fully connected), straight into the logits.
    private static bool UseOutputKernel(GatedNetwork network, int j, bool flatten, PerExampleLoss lossFunction) =>
        FlipLossKernel.IsAvailable && !flatten && ReferenceEquals(lossFunction, Losses.CrossEntropy)
        && network.Layers[j].Kind == LayerKind.FullyConnected && j == network.Layers.Count - 1;

    // Loss [len, G] from fully connected layer j's flipped affine output [len, O_j, G], with per-example gates [len, G_k].
    private static Tensor FlippedLossGroupsLast(GatedNetwork network, int j, Tensor flippedT, Tensor?[] gates, Tensor labels, PerExampleLoss lossFunction)
    {
        if (j == network.Layers.Count - 1)
        {
            return lossFunction(flippedT, labels);
        }
        var after = network.Layers[j + 1];
        var activation = flippedT.relu_();
        // Each example's gates folded into the next weights: [len, O_j+1, O_j].
        var gatedWeights = after.Weight.detach().unsqueeze(0) * gates[j]!.unsqueeze(1);
        var nextT = bmm(gatedWeights, activation).add_(after.Bias.detach().view(1, -1, 1));
        return FlippedLossGroupsLast(network, j + 1, nextT, gates, labels, lossFunction);
    }

    // weight [O, G, k, k]; signed [len, G, H, W]: the change of the convolution's output per group, [len, G, O, H', W'].
    private static Tensor ConvolutionDelta(Tensor weight, Tensor signed)
    {
        var length = signed.shape[0];
        var groups = signed.shape[1];
        var outputs = weight.shape[0];
        var kernels = weight.transpose(0, 1).reshape(groups * outputs, 1, weight.shape[2], weight.shape[3]);
        var y = nn.functional.conv2d(signed, kernels, groups: groups);
        return y.view(length, groups, outputs, y.shape[2], y.shape[3]);
    }

    private static long[] FlattenFirstTwo(long[] shape)
    {
        var result = new long[shape.Length - 1];
        result[0] = shape[0] * shape[1];
        Array.Copy(shape, 2, result, 1, shape.Length - 2);
        return result;
    }
}
