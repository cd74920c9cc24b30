using Sweep.Grains.Abstractions.Trials;
using Sweep.Pruning.Training;

namespace Sweep.Grains.Runner;

/// <summary>From the trainer's types to the wire records of Grains.Abstractions.</summary>
public static class TrialResultMapping
{
    public static TrialEpoch ToEpoch(EpochProgress progress) => new()
    {
        Epoch = progress.Epoch,
        Step = progress.Step,
        TrainLoss = progress.TrainLoss,
        TestError = double.IsNaN(progress.TestError) ? null : progress.TestError,
        Widths = progress.Widths.ToArray(),
        Undecided = progress.Undecided,
        FlopsPerStep = progress.FlopsPerStep,
        Seconds = progress.Seconds,
        ParametersFraction = double.IsNaN(progress.ParametersFraction) ? null : progress.ParametersFraction,
        FlopsFraction = double.IsNaN(progress.FlopsFraction) ? null : progress.FlopsFraction,
        ValidationError = double.IsNaN(progress.ValidationError) ? null : progress.ValidationError,
    };

    /// <summary>The metrics of a completed run; the trial grain adds the spec's grid and settings, attempts, resumes, silos and times.</summary>
    public static TrialResult ToResult(TrialKey key, TrainingResult result) => new()
    {
        Index = key.Index,
        Grid = "",
        Settings = new Dictionary<string, string>(StringComparer.Ordinal),
        State = TrialState.Completed,
        LayerNames = result.LayerNames.ToArray(),
        InitialWidths = result.InitialWidths.ToArray(),
        FinalWidths = result.FinalWidths.ToArray(),
        Parameters = result.Parameters,
        ParametersFraction = result.ParametersFraction,
        Flops = result.Flops,
        FlopsFraction = result.FlopsFraction,
        TestError = result.TestError,
        TestErrorMeanNet = result.TestErrorMeanNet,
        ValidationError = double.IsNaN(result.ValidationError) ? null : result.ValidationError,
        Undecided = result.Undecided,
        UndecidedTolerant = result.UndecidedTolerant,
        UndecidedTolerance = result.UndecidedTolerance,
        TrainFlops = result.TrainFlops,
        TrainFlopsFraction = result.TrainFlopsFraction,
        WallSeconds = result.WallSeconds,
        EpochWidths = result.EpochWidths.Select(w => (IReadOnlyList<int>)w.ToArray()).ToArray(),
        EpochFinalWidthReached = result.EpochFinalWidthReached.ToArray(),
        Epochs = result.Epochs.Select(ToEpoch).ToArray(),
    };
}
