using Sweep.Pruning.Models;
using static TorchSharp.torch;

namespace Sweep.Pruning.Training;

/// <summary>When a training run counts as diverged (its failure reason "diverged").</summary>
internal static class DivergenceCheck
{
    /// <summary>
    /// Divergence as a user means it, checked before each compaction so that an exploding run is not
    /// mistaken for a collapse (exploded weights drive the gates to 0 next): a non-finite loss, a mean
    /// loss this epoch far above where training starts, or non-finite weights or gates (what a
    /// non-finite gradient leaves behind). The starting value is the loss of an uninformed classifier,
    /// ln(classes), where a freshly initialized network starts; it does not depend on the run's own
    /// history, so a resumed trial decides exactly as an uninterrupted one.
    /// </summary>
    public static void Check(GatedNetwork network, Tensor lossSum, long lossCount, int classes, long step, int epoch)
    {
        using var scope = NewDisposeScope();
        var sum = lossSum.item<double>();
        if (!double.IsFinite(sum))
        {
            throw new TrainingFailedException("diverged", $"The training loss became {sum} by step {step} (epoch {epoch + 1}).");
        }
        var startingLoss = Math.Log(classes);
        var meanLoss = lossCount > 0 ? sum / lossCount : 0;
        if (meanLoss > DivergenceFactor * startingLoss)
        {
            throw new TrainingFailedException("diverged", string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"The training loss averaged {meanLoss:G4} in epoch {epoch + 1} up to step {step}, more than {DivergenceFactor} times its starting value ln({classes}) = {startingLoss:G4} (lower lr)."));
        }
        foreach (var i in Enumerable.Range(0, network.Layers.Count))
        {
            var layer = network.Layers[i];
            Tensor?[] tensors = layer.HasParameters ? [layer.Weight, layer.Bias, layer.Theta] : [layer.Theta];
            if (tensors.Any(t => t is not null && !t.isfinite().all().item<bool>()))
            {
                throw new TrainingFailedException("diverged", $"The weights or gates of layer {layer.Name} became non-finite by step {step} (epoch {epoch + 1}).");
            }
        }
    }

    /// <summary>How far above its starting value the mean training loss may go before the run counts as diverged.</summary>
    private const double DivergenceFactor = 10;
}
