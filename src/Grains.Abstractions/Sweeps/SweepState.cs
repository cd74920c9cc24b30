namespace Sweep.Grains.Abstractions.Sweeps;

public enum SweepState
{
    /// <summary>No sweep was launched under this id.</summary>
    NotLaunched = 0,
    Running = 1,
    /// <summary>Every trial is completed or failed.</summary>
    Completed = 2,
    Cancelled = 3,
}
