using Sweep.Options;
namespace Sweep.Pruning.Training;

/// <summary>What one finished trial reports (docs/ALGORITHM.md, "What a trial reports"). Contract: fields may be added.</summary>
public sealed record TrainingResult
{
    public required TrialOptions Options { get; init; }
    public required IReadOnlyList<string> LayerNames { get; init; }        // one per gated layer
    public required IReadOnlyList<int> InitialWidths { get; init; }
    public required IReadOnlyList<int> FinalWidths { get; init; }
    public required long Parameters { get; init; }                          // of the compacted network
    public required double ParametersFraction { get; init; }                // of the starting network
    public required long Flops { get; init; }                               // forward multiply-adds per example
    public required double FlopsFraction { get; init; }
    public required double TestError { get; init; }                          // deterministic network (theta >= 0.5)
    public required double TestErrorMeanNet { get; init; }                  // outputs scaled by theta
    /// <summary>Error of the deterministic network on the held-out validation split; NaN without one (<see cref="TrialOptions.Validation"/> = 0).</summary>
    public double ValidationError { get; init; } = double.NaN;
    /// <summary>Training examples actually trained on (after the validation split and train-limit).</summary>
    public int TrainExamples { get; init; }
    public required int Undecided { get; init; }                             // strictly 0 < theta < 1
    public required int UndecidedTolerant { get; init; }                     // tolerance < theta < 1 - tolerance
    public required double UndecidedTolerance { get; init; }
    public required double TrainFlops { get; init; }                         // total training multiply-adds spent
    public required double TrainFlopsFraction { get; init; }                 // against dense training, same epochs
    public required double WallSeconds { get; init; }
    public required IReadOnlyList<IReadOnlyList<int>> EpochWidths { get; init; }   // per epoch, per gated layer
    public required IReadOnlyList<int> EpochFinalWidthReached { get; init; }       // per gated layer: first epoch at final width
    public required IReadOnlyList<EpochProgress> Epochs { get; init; }

    /// <summary>Per epoch, per gated layer: width of the deterministic network (theta >= 0.5), the basis of <see cref="EpochFinalWidthReached"/>.</summary>
    public IReadOnlyList<IReadOnlyList<int>> EpochDeterministicWidths { get; init; } = [];

    /// <summary>Training multiply-adds per step over time: one entry at the start and one per compaction that shrank the network.</summary>
    public IReadOnlyList<FlopsChange> FlopsTimeline { get; init; } = [];

    /// <summary>Steps taken in total.</summary>
    public long Steps { get; init; }
}
