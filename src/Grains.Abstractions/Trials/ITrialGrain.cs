namespace Sweep.Grains.Abstractions.Trials;

/// <summary>One trial of a sweep, keyed by <see cref="TrialKey"/> ("sweepId/index").</summary>
public interface ITrialGrain : IGrainWithStringKey
{
    /// <summary>
    /// Starts the trial on this silo's trial runner, or resumes it from its last checkpoint when
    /// its previous run was lost. Idempotent: a running or finished trial is left as it is.
    /// </summary>
    Task<TrialProgress> Start(TrialSpec spec);

    Task<TrialProgress> GetProgress();

    /// <summary>Stops the trial (mid-epoch if it is training); a finished trial is left as it is.</summary>
    Task Cancel();
}
