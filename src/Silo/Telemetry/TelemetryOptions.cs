namespace Sweep.Silo.Telemetry;

/// <summary>
/// Telemetry settings, bound from the "Telemetry" configuration section (environment: Telemetry__Prometheus__Port=9464).
/// OTLP export is switched on by the standard OTEL_EXPORTER_OTLP_ENDPOINT variable, not by a key here.
/// </summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "Telemetry";

    /// <summary>The OpenTelemetry service.name of this process.</summary>
    public string ServiceName { get; set; } = "sweep-silo";

    public PrometheusEndpointOptions Prometheus { get; set; } = new();

    /// <summary>A finished trial's (or sweep's) gauges stay in the scrape this long, then disappear.</summary>
    public TimeSpan FinishedTrialRetention { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A trial whose gauges were not updated for this long is dropped (it moved to another silo).</summary>
    public TimeSpan StaleTrialTimeout { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Most trials whose gauges one silo reports at once.</summary>
    public int MaxTrackedTrials { get; set; } = 5000;

    /// <summary>
    /// OpenTelemetry cardinality limit of each per-trial gauge: distinct (sweep, trial[, layer]) series one silo can
    /// report over its lifetime (the SDK does not reuse the slots of series that stopped). Beyond it, new series are
    /// folded into one overflow series; restart the silo or raise the limit for very long-lived silos.
    /// </summary>
    public int TrialSeriesLimit { get; set; } = 20000;

    /// <summary>Also trace Orleans' own runtime calls (membership, directory): noisy, for debugging the cluster.</summary>
    public bool TraceOrleansRuntime { get; set; }
}
