// Placeholder entry point so that the Silo project builds on the obs branch. The orchestration branch owns this
// file: on merge keep its version and add `silo.AddSweepTelemetry(context.Configuration);` inside UseOrleans.
using Microsoft.Extensions.Hosting;
using Sweep.Silo.Telemetry;

var builder = Host.CreateApplicationBuilder(args);
builder.UseOrleans(silo => silo.UseLocalhostClustering().AddSweepTelemetry(builder.Configuration));
await builder.Build().RunAsync();
