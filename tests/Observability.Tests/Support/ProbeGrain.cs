using Orleans;
using Sweep.Grains.Telemetry;

namespace Sweep.Observability.Tests.Support;

/// <summary>A grain that runs <see cref="ShortTrial"/> inside a grain call, as TrialGrain will.</summary>
public interface IProbeGrain : IGrainWithStringKey
{
    Task RunTrial(int trial, int epochs);
}

public sealed class ProbeGrain(SweepTelemetry telemetry) : Grain, IProbeGrain
{
    public Task RunTrial(int trial, int epochs) => ShortTrial.RunAsync(telemetry, this.GetPrimaryKeyString(), trial, epochs);
}
