namespace Sweep.Grains.Telemetry;

/// <summary>
/// How long the latest-value gauges keep a trial's (or a sweep's) series. Gauges report only tracked entries,
/// so finished trials leave the scrape instead of accumulating for the life of the silo.
/// </summary>
public sealed record TrialSeriesRetention
{
    /// <summary>A finished trial (or sweep) stays visible this long, so that scrapes see its final values.</summary>
    public TimeSpan Finished { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>An entry not updated for this long is dropped (its trial moved to another silo, or its silo lost track of it).</summary>
    public TimeSpan Stale { get; init; } = TimeSpan.FromHours(1);

    /// <summary>At most this many trials are tracked per silo; beyond it the finished, then the least recently updated, go first.</summary>
    public int MaxTrials { get; init; } = 5000;
}
