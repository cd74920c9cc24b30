using Microsoft.Extensions.Hosting;
using Sweep.Silo.Hosting;
using Sweep.Silo.Telemetry;

// Configuration: appsettings.json, then environment variables (Sweep__Mode=Cluster, ...), then arguments.
// Engine settings (oneDNN ISA) must reach the native environment before any convolution runs.
Sweep.Pruning.Engine.EngineSetup.EnsureInitialized();
await Host.CreateDefaultBuilder(args)
    .UseOrleans(silo => silo.ConfigureSweepSilo().AddSweepTelemetry(silo.Configuration))
    .RunConsoleAsync();
