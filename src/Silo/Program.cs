using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Sweep.Pruning.Engine;
using Sweep.Silo.Hosting;
using Sweep.Silo.Telemetry;

// Configuration: appsettings.json, then environment variables (Sweep__Mode=Cluster, ...), then arguments.
// Engine settings (oneDNN ISA, OpenMP wait policy) must reach the native environment before libtorch runs.
EngineSetup.EnsureInitialized();
using var host = Host.CreateDefaultBuilder(args)
    .UseOrleans(silo => silo.ConfigureSweepSilo().AddSweepTelemetry(silo.Configuration))
    .UseConsoleLifetime()
    .Build();

var engineLog = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Sweep.Engine");
engineLog.LogInformation("{EngineStatus}", EngineSetup.Status);
ConvolutionSelfCheck.Checked += status => engineLog.LogInformation("{ConvolutionStatus}", status);
await host.RunAsync();
