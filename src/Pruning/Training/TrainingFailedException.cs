namespace Sweep.Pruning.Training;

/// <summary>A deterministic failure of a trial (divergence, collapse, bad data): retrying gives the same result.</summary>
public class TrainingFailedException : Exception
{
    public TrainingFailedException(string reason, string message) : base(message) => Reason = reason;

    public TrainingFailedException() : this("failed", "training failed") { }

    public TrainingFailedException(string message) : this("failed", message) { }

    public TrainingFailedException(string message, Exception inner) : base(message, inner) => Reason = "failed";

    /// <summary>Short machine-readable reason: "diverged", "collapsed", "bad-data", ...</summary>
    public string Reason { get; } = "failed";
}
