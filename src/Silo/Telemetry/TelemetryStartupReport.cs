using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Sweep.Silo.Telemetry;

/// <summary>Logs at startup where the silo's metrics can be scraped, or why they cannot.</summary>
internal sealed class TelemetryStartupReport(ILogger<TelemetryStartupReport> logger, TelemetryEndpointStatus status) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (status.Error is { } error)
        {
            logger.LogWarning("Prometheus endpoint {Url} not started, metrics are not served by this silo: {Error}. Set Telemetry:Prometheus:Port to a free port.", status.Url, error);
        }
        else if (status.Url is { } url)
        {
            logger.LogInformation("Prometheus endpoint serving at {Url}", url);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
