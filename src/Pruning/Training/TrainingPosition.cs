namespace Sweep.Pruning.Training;

/// <summary>Where a trial stands: epochs finished, steps taken, training multiply-adds spent and wall seconds used.</summary>
internal sealed record TrainingPosition(int Epoch, long Step, double TrainFlops, double WallSeconds);
