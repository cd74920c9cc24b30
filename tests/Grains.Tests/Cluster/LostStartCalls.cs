using Sweep.Grains.Abstractions.Trials;

namespace Sweep.Grains.Tests.Cluster;

/// <summary>
/// Loses a trial's first start call before it reaches the grain, as when the call is addressed
/// through the directory partition of a silo that has just died: the coordinator sees the call fail
/// and the trial grain never sees the spec.
/// </summary>
public sealed class LostStartCalls : IIncomingGrainCallFilter
{
    public Task Invoke(IIncomingGrainCallContext context)
    {
        if (context.InterfaceMethod.DeclaringType == typeof(ITrialGrain) && context.InterfaceMethod.Name == nameof(ITrialGrain.Start))
        {
            var trial = TrialKey.Parse(context.TargetId.Key.ToString()!);
            if (TestTrialExecutor.Scripts.TryGetValue(trial.SweepId, out var script)
                && script.LoseFirstStartOf.Contains(trial.Index) && script.StartsLost.TryAdd(trial.Index, 1))
            {
                throw new TimeoutException($"simulated loss of the start call of trial {trial}");
            }
        }
        return context.Invoke();
    }
}
