using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Sweep.Silo.Telemetry;

/// <summary>What <see cref="TelemetryServiceCollectionExtensions.AddSweepTelemetry"/> decided about the scrape endpoint.</summary>
public sealed record TelemetryEndpointStatus(string? Url, string? Error);
