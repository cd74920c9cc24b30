using Sweep.Pruning.Training;

namespace Sweep.Grains.Runner;

/// <summary>Which failures of a run are deterministic (the trial fails) and which are transient (retried).</summary>
public static class TrialFailures
{
    /// <summary>The reason recorded when transient retries are exhausted or a failure has no better name.</summary>
    public const string Error = "error";

    public static bool IsDeterministic(Exception exception) => exception is
        TrainingFailedException or ArgumentException or NotImplementedException or NotSupportedException or InvalidDataException or FormatException;

    /// <summary>Short machine-readable reason: the trainer's own ("diverged", "bad-data", ...) or one derived from the exception.</summary>
    public static string Reason(Exception exception) => exception switch
    {
        TrainingFailedException failed => failed.Reason,
        ArgumentException => "invalid-options",
        NotImplementedException or NotSupportedException => "not-supported",
        InvalidDataException or FormatException => "bad-data",
        _ => Error,
    };
}
