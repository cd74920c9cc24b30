using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Sweep.Grains.Abstractions.Telemetry;

namespace Sweep.Client.Hosting;

/// <summary>
/// The client's part of the product's tracing: the "sweep launch" root span, exported by OTLP when the
/// standard OTEL_EXPORTER_OTLP_ENDPOINT variable is set (as on the silos); nothing is recorded otherwise.
/// </summary>
public static class ClientTelemetry
{
    public static ActivitySource Source { get; } = new(TelemetryNames.Source);

    /// <summary>A tracer provider exporting the client's spans, or null when no OTLP endpoint is configured. Dispose to flush.</summary>
    public static TracerProvider? StartIfConfigured(IReadOnlyDictionary<string, string?>? environment = null)
    {
        var endpoint = environment is null
            ? Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT")
            : environment.GetValueOrDefault("OTEL_EXPORTER_OTLP_ENDPOINT");
        if (string.IsNullOrWhiteSpace(endpoint))
        {
            return null;
        }
        return Sdk.CreateTracerProviderBuilder()
            .ConfigureResource(resource => resource.AddService("sweep-client"))
            .AddSource(TelemetryNames.Source)
            .AddOtlpExporter()
            .Build();
    }
}
