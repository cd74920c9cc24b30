using Microsoft.Extensions.Logging;
using Orleans.Runtime.Placement;
using Sweep.Grains.Abstractions.Sweeps;
using Sweep.Grains.Abstractions.Trials;
using Sweep.Grains.Trials;

namespace Sweep.Grains.Sweeps;

/// <summary>
/// The coordinator's calls to other grains: its trials and the sweep registry. A start or a ping activates the trial
/// grain on the silo the dispatch chose; a call that fails is logged and changes nothing: the watchdog pings the
/// trial again, or restarts it if its silo is gone, and the registry is updated at the next change.
/// </summary>
public sealed partial class SweepCalls(IGrainFactory grains, string sweepId, ILogger logger)
{
    /// <summary>Starts the trial on <paramref name="silo"/>; its progress, or null when the call failed.</summary>
    public async Task<TrialProgress?> StartAsync(TrialRecord record, SiloAddress silo)
    {
        try
        {
            return await OnSilo(silo, () => Trial(record).Start(record.Spec));
        }
        catch (Exception e)
        {
            LogCallFailed(e, Key(record), "start");
            return null;
        }
    }

    public async Task CancelAsync(TrialRecord record)
    {
        try
        {
            await Trial(record).Cancel();
        }
        catch (Exception e)
        {
            LogCallFailed(e, Key(record), "cancel");
        }
    }

    /// <summary>The watchdog's one-way pings (<see cref="ITrialRunOwner.EnsureRunning"/>): each trial's spec, on its silo.</summary>
    public void Ping(IEnumerable<(TrialRecord Trial, SiloAddress Silo)> pings)
    {
        foreach (var (record, silo) in pings)
        {
            OnSilo(silo, () => grains.GetGrain<ITrialRunOwner>(Key(record).ToString()).EnsureRunning(record.Spec)).Ignore();
        }
    }

    /// <summary>Updates the sweep's line in the registry (`sweep list`).</summary>
    public async Task RecordInRegistryAsync(SweepSummary summary)
    {
        try
        {
            await grains.GetGrain<ISweepRegistryGrain>(ISweepRegistryGrain.Key).Record(summary);
        }
        catch (Exception e)
        {
            LogRegistryFailed(e, sweepId);
        }
    }

    private ITrialGrain Trial(TrialRecord record) => grains.GetGrain<ITrialGrain>(Key(record).ToString());

    private TrialKey Key(TrialRecord record) => new(sweepId, record.Index);

    /// <summary>The placement hint is read when the call's message is made, i.e. before the call returns its task.</summary>
    private static T OnSilo<T>(SiloAddress silo, Func<T> call)
    {
        RequestContext.Set(IPlacementDirector.PlacementHintKey, silo);
        try
        {
            return call();
        }
        finally
        {
            RequestContext.Remove(IPlacementDirector.PlacementHintKey);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Trial {Trial}: {Call} failed; the watchdog retries")]
    private partial void LogCallFailed(Exception exception, TrialKey trial, string call);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweep {Sweep}: the sweep registry could not be updated")]
    private partial void LogRegistryFailed(Exception exception, string sweep);
}
