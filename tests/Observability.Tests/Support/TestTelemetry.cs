using Microsoft.Extensions.DependencyInjection;
using Sweep.Grains.Telemetry;

namespace Sweep.Observability.Tests.Support;

/// <summary>A <see cref="SweepTelemetry"/> on a meter factory of its own, as a silo's container makes one.</summary>
public sealed class TestTelemetry : IDisposable
{
    private readonly ServiceProvider _services;

    public TestTelemetry(TrialSeriesRetention? retention = null)
    {
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        Telemetry = new SweepTelemetry(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), retention);
    }

    public SweepTelemetry Telemetry { get; }

    public void Dispose()
    {
        Telemetry.Dispose();
        _services.Dispose();
    }
}
