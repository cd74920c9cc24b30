using Sweep.Pruning.Models;

namespace Sweep.Bench;

/// <summary>
/// Multiply-adds the `exact` estimator spends per example at given physical widths: for every gated
/// group, its flip's change of the next layer's affine output (one input group of that layer) and a
/// pass of the flipped row through every later layer. The fully connected kernels compute the same
/// products (all groups, active or not), so one count covers every path of the estimator.
/// </summary>
internal static class EstimatorCost
{
    public static double MacsPerExample(IReadOnlyList<GatedLayer> layers, IReadOnlyList<int> gatedWidths)
    {
        var count = layers.Count;
        var outputs = new long[count];
        var inputs = new long[count];
        var gated = 0;
        for (var i = 0; i < count; i++)
        {
            outputs[i] = layers[i].Gated ? gatedWidths[gated++] : layers[i].Width;
            inputs[i] = i > 0 && layers[i - 1].Gated ? outputs[i - 1] : layers[i].InputGroups;
        }
        double total = 0;
        for (var l = 0; l < count - 1; l++)
        {
            if (!layers[l].Gated)
            {
                continue;
            }
            var j = l + 1;
            double perFlip = outputs[j] * layers[j].GroupFlops(1);
            for (var k = j + 1; k < count; k++)
            {
                perFlip += outputs[k] * layers[k].GroupFlops(inputs[k]);
            }
            total += outputs[l] * perFlip;
        }
        return total;
    }
}
