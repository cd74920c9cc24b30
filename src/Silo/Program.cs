using Microsoft.Extensions.Hosting;
using Sweep.Silo.Hosting;

// Configuration: appsettings.json, then environment variables (Sweep__Mode=Cluster, ...), then arguments.
// Telemetry (OpenTelemetry) hooks in here and through Sweep.Grains.Events.ISweepEvents.
Sweep.Pruning.Engine.EngineSetup.EnsureInitialized();
await Host.CreateDefaultBuilder(args)
    .UseOrleans(silo => silo.ConfigureSweepSilo())
    .RunConsoleAsync();
