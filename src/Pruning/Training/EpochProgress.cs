namespace Sweep.Pruning.Training;

/// <summary>Progress reported at the end of each epoch (and, with Epoch fractional, every N steps).</summary>
public sealed record EpochProgress(
    int Epoch,                       // 1-based, completed epochs
    long Step,
    double TrainLoss,
    double TestError,                // NaN when not evaluated (intra-epoch reports)
    IReadOnlyList<int> Widths,       // current width per gated layer
    int Undecided,
    double FlopsPerStep,             // training multiply-adds of the current network per step
    double Seconds,                  // wall seconds since the run (or resume) started
    double ParametersFraction = double.NaN,   // parameters of the current network / of the starting network
    double FlopsFraction = double.NaN,        // forward multiply-adds of the current network / of the starting one
    double ValidationError = double.NaN);     // deterministic network on the validation split; NaN without one
