using Sweep.Grains.Abstractions.Trials;
using Sweep.Pruning.Training;

namespace Sweep.Grains.Trials;

/// <summary>
/// The wire records of a trial from the trainer's types: an epoch as it ends, and the trial's result, built once
/// when the trial finishes from its spec, its history (attempts, resumes, silos, times) and how it ended.
/// </summary>
public static class TrialResults
{
    public static TrialEpoch Epoch(EpochProgress progress) => new()
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

    /// <summary>A completed trial: the trainer's metrics.</summary>
    public static TrialResult Completed(TrialGrainState trial, TrainingResult result, DateTime finishedAt) => new()
    {
        Index = trial.Spec!.Index,
        Grid = trial.Spec.Grid,
        Settings = trial.Spec.Settings,
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
        Epochs = result.Epochs.Select(Epoch).ToArray(),
        Attempts = trial.Attempts,
        ResumedFromEpochs = trial.ResumedFromEpochs.ToArray(),
        Silos = trial.Silos.ToArray(),
        StartedAt = trial.StartedAt ?? finishedAt,
        FinishedAt = finishedAt,
    };

    /// <summary>A failed or cancelled trial: the reason and the message, and no metrics.</summary>
    public static TrialResult Failed(TrialGrainState trial, TrialState state, string reason, string message, DateTime finishedAt) => new()
    {
        Index = trial.Spec!.Index,
        Grid = trial.Spec.Grid,
        Settings = trial.Spec.Settings,
        State = state,
        FailureReason = reason,
        FailureMessage = message,
        Attempts = trial.Attempts,
        ResumedFromEpochs = trial.ResumedFromEpochs.ToArray(),
        Silos = trial.Silos.ToArray(),
        StartedAt = trial.StartedAt ?? finishedAt,
        FinishedAt = finishedAt,
    };
}
