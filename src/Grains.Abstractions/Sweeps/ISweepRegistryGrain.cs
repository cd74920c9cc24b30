namespace Sweep.Grains.Abstractions.Sweeps;

/// <summary>The list of sweeps of a cluster (`sweep list`). A single grain: use <see cref="Key"/>.</summary>
public interface ISweepRegistryGrain : IGrainWithStringKey
{
    public const string Key = "sweeps";

    /// <summary>Every sweep ever launched, newest first.</summary>
    Task<IReadOnlyList<SweepSummary>> List();

    /// <summary>Records or updates a sweep's line (called by the coordinators).</summary>
    Task Record(SweepSummary summary);
}
