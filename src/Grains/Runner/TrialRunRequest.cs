using Sweep.Grains.Execution;
using Sweep.Pruning.Training;

namespace Sweep.Grains.Runner;

/// <summary>One run of a trial handed to the runner: the work, where to resume, and whom to report to.</summary>
public sealed record TrialRunRequest(TrialWork Work, Guid RunId, TrainingCheckpoint? ResumeFrom, ITrialRunCallbacks Callbacks);
