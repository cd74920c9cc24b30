using Orleans;

namespace Sweep.Observability.Tests.Support;

/// <summary>A grain that runs <see cref="ShortTrial"/> inside a grain call, as TrialGrain will.</summary>
public interface IProbeGrain : IGrainWithStringKey
{
    Task RunTrial(int trial, int epochs);
}

public sealed class ProbeGrain : Grain, IProbeGrain
{
    public Task RunTrial(int trial, int epochs) => ShortTrial.RunAsync(this.GetPrimaryKeyString(), trial, epochs);
}
