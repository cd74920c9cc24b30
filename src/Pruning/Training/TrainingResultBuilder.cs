using Sweep.Options;
using Sweep.Pruning.Models;

namespace Sweep.Pruning.Training;

/// <summary>A finished trial's <see cref="TrainingResult"/>, from its network, its history and where it stands.</summary>
internal static class TrainingResultBuilder
{
    /// <summary>
    /// Throws <see cref="TrainingFailedException"/> ("collapsed") when rounding the gates at 0.5 empties a layer:
    /// the deterministic network then has no path from input to output, which is a collapse, not a result.
    /// </summary>
    public static TrainingResult Build(
        TrialOptions options, GatedNetwork network, StartingNetwork start, int examples,
        TrainingHistory history, TrainingPosition position, ErrorEvaluator evaluator)
    {
        var finalWidths = network.DeterministicWidths();
        for (var l = 0; l < finalWidths.Length; l++)
        {
            if (finalWidths[l] == 0)
            {
                throw new TrainingFailedException("collapsed",
                    $"Layer {network.Layers[network.GatedIndices.ElementAt(l)].Name} has no gate at theta >= 0.5 at the end: the deterministic network is empty there.");
            }
        }
        var (parameters, flops) = network.Count(finalWidths);
        var (strict, tolerant) = network.Undecided(options.UndecidedTolerance);
        var denseFlops = 3.0 * start.Flops * (double)examples * options.Epochs;
        var epochs = history.Epochs;
        // The last epoch's figures are the deterministic network's, and nothing changed since.
        var lastEpochEvaluated = epochs.Count > 0 && epochs[^1].Epoch == options.Epochs;
        return new TrainingResult
        {
            Options = options,
            LayerNames = network.GatedIndices.Select(i => network.Layers[i].Name).ToArray(),
            InitialWidths = start.Widths,
            FinalWidths = finalWidths,
            Parameters = parameters,
            ParametersFraction = parameters / (double)start.Parameters,
            Flops = flops,
            FlopsFraction = flops / (double)start.Flops,
            TestError = lastEpochEvaluated ? epochs[^1].TestError : evaluator.TestError(network, deterministic: true),
            TestErrorMeanNet = evaluator.TestError(network, deterministic: false),
            ValidationError = lastEpochEvaluated ? epochs[^1].ValidationError : evaluator.ValidationError(network),
            TrainExamples = examples,
            Undecided = strict,
            UndecidedTolerant = tolerant,
            UndecidedTolerance = options.UndecidedTolerance,
            TrainFlops = position.TrainFlops,
            TrainFlopsFraction = position.TrainFlops / denseFlops,
            WallSeconds = position.WallSeconds,
            EpochWidths = history.EpochWidths.Select(w => (IReadOnlyList<int>)w).ToArray(),
            EpochFinalWidthReached = FinalWidthReached(history.EpochDeterministicWidths, finalWidths),
            Epochs = epochs.ToArray(),
            EpochDeterministicWidths = history.EpochDeterministicWidths.Select(w => (IReadOnlyList<int>)w).ToArray(),
            FlopsTimeline = history.FlopsTimeline.ToArray(),
            Steps = position.Step,
        };
    }

    // Per layer, the 1-based epoch from which the deterministic width stayed at its final value.
    private static int[] FinalWidthReached(List<int[]> epochWidths, int[] finalWidths)
    {
        var reached = new int[finalWidths.Length];
        for (var l = 0; l < finalWidths.Length; l++)
        {
            var first = epochWidths.Count;
            for (var e = epochWidths.Count - 1; e >= 0 && epochWidths[e][l] == finalWidths[l]; e--)
            {
                first = e;
            }
            reached[l] = first + 1;
        }
        return reached;
    }
}
