using Microsoft.Extensions.Configuration;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Sweep.Silo.Telemetry;

/// <summary>One call in the silo's UseOrleans: telemetry plus trace propagation through grain calls.</summary>
public static class TelemetrySiloBuilderExtensions
{
    /// <summary>
    /// <see cref="TelemetryServiceCollectionExtensions.AddSweepTelemetry"/> and Orleans' activity propagation, so a
    /// span started by the client (sweep launch) is the parent of the grains' spans.
    /// </summary>
    public static ISiloBuilder AddSweepTelemetry(
        this ISiloBuilder silo,
        IConfiguration configuration,
        Action<MeterProviderBuilder>? configureMetrics = null,
        Action<TracerProviderBuilder>? configureTracing = null)
    {
        ArgumentNullException.ThrowIfNull(silo);
        silo.AddActivityPropagation();
        silo.Services.AddSweepTelemetry(configuration, configureMetrics, configureTracing);
        return silo;
    }
}
