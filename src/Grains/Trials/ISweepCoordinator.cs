using Orleans.Concurrency;
using Sweep.Grains.Abstractions.Trials;

namespace Sweep.Grains.Trials;

/// <summary>The coordinator's side for its trials: server-side only (the client uses ISweepGrain).</summary>
public interface ISweepCoordinator : IGrainWithStringKey
{
    /// <summary>Records a finished trial's result exactly once: a second delivery of the same index is ignored.</summary>
    Task DeliverResult(TrialResult result);

    [OneWay]
    Task ReportProgress(TrialProgress progress);
}
