using Sweep.Grains.Abstractions.Reports;
using Sweep.Grains.Abstractions.Specs;
using Sweep.Grains.Abstractions.Trials;

namespace Sweep.Grains.Abstractions.Sweeps;

/// <summary>The coordinator of one sweep, keyed by sweep id (see <see cref="SweepIds"/>).</summary>
public interface ISweepGrain : IGrainWithStringKey
{
    /// <summary>
    /// Validates the spec, expands it into trials, persists them and starts as many as the live
    /// silos have slots for. Throws <see cref="SweepSpecException"/> (nothing persisted) when the
    /// spec is invalid. Idempotent for the same spec (a retried call returns the status);
    /// a different spec under a launched id is rejected.
    /// </summary>
    Task<SweepStatus> Launch(SweepSpec spec);

    /// <summary>Stops every unfinished trial; finished results are kept.</summary>
    Task Cancel();

    Task<SweepStatus> GetStatus();

    /// <summary>Results of the finished trials (completed, failed, cancelled), by trial index.</summary>
    Task<IReadOnlyList<TrialResult>> GetResults();

    /// <summary>The robustness statistics and verdicts over the completed trials so far.</summary>
    Task<SweepReport> GetReport();

    /// <summary>The spec the sweep was launched with; null when not launched.</summary>
    Task<SweepSpec?> GetSpec();
}
