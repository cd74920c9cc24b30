namespace Sweep.Grains.Sweeps;

/// <summary>The sweep coordinator (configuration section "Sweep:Coordinator").</summary>
public sealed class SweepCoordinatorOptions
{
    public const string Section = "Sweep:Coordinator";

    /// <summary>How often a running sweep checks its trials (lost silos, undelivered results, free slots).</summary>
    public TimeSpan WatchdogPeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Period of the durable reminder that reactivates a running sweep whose silo died. Orleans'
    /// minimum reminder period is lowered to this when it is shorter.
    /// </summary>
    public TimeSpan ReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A started trial that reports nothing for this long is shown as stalled.</summary>
    public TimeSpan StallTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Largest number of trials a sweep may expand to.</summary>
    public int MaxTrials { get; set; } = 1000;

    /// <summary>Dataset names the silos can fetch (others must be directories that exist on the silos).</summary>
    public List<string> KnownDatasets { get; set; } = ["mnist"];

    /// <summary>Reject a spec whose dataset directory does not exist on the coordinator's silo.</summary>
    public bool CheckDatasetDirectory { get; set; } = true;

    /// <summary>Trial slots assumed for a silo that does not publish its own.</summary>
    public int DefaultSlotsPerSilo { get; set; } = 1;
}
