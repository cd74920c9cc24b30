using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Sweep.Grains.Execution;
using Sweep.Grains;
using Sweep.Grains.Hosting;

namespace Sweep.Client.IntegrationTests;

/// <summary>
/// A silo hosted in the test process with the sweep grains (memory storage, the fake trainer),
/// listening on loopback TCP so that the CLI connects to its gateway exactly as to a real one.
/// (Orleans' InProcessTestCluster connects its silos and clients through an in-memory transport,
/// which a separate client such as the CLI cannot reach; hence a plain generic-host silo.)
/// </summary>
public sealed class ClientClusterFixture : IAsyncLifetime
{
    private IHost _silo = null!;

    public IClusterClient Client => _silo.Services.GetRequiredService<IClusterClient>();

    /// <summary>HOST:PORT of the silo's gateway.</summary>
    public string Gateway { get; private set; } = "";

    /// <summary>The cluster's ids and gateway, as the CLI reads them from the environment.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; private set; } = new Dictionary<string, string?>();

    public async Task InitializeAsync()
    {
        var clusterId = "cli-tests-" + Guid.NewGuid().ToString("N")[..8];
        var siloPort = FreePort();
        var gatewayPort = FreePort();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Sweep:TrialRunner:Slots"] = "2",
            ["Sweep:TrialRunner:ShutdownGrace"] = "00:00:02",
            ["Sweep:Coordinator:WatchdogPeriod"] = "00:00:00.300",
            ["Sweep:Coordinator:CheckDatasetDirectory"] = "false",
        });
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(siloPort, gatewayPort, serviceId: clusterId, clusterId: clusterId);
            silo.AddMemoryGrainStorage(SweepStorage.Name);
            silo.UseInMemoryReminderService();
            silo.AddSweep();
            silo.Services.AddSingleton<ITrialExecutor, FakeTrialExecutor>();
        });
        _silo = builder.Build();
        await _silo.StartAsync();
        Gateway = $"127.0.0.1:{gatewayPort}";
        Environment = new Dictionary<string, string?>
        {
            ["SWEEP_GATEWAYS"] = Gateway,
            ["SWEEP_CLUSTER_ID"] = clusterId,
            ["SWEEP_SERVICE_ID"] = clusterId,
            ["Sweep__Client__RefreshInterval"] = "00:00:00.200",
            ["Sweep__Client__ConnectAttempts"] = "3",
        };
    }

    public async Task DisposeAsync()
    {
        await _silo.StopAsync(TimeSpan.FromSeconds(10));
        _silo.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

[CollectionDefinition(Name)]
public sealed class ClientClusterCollection : ICollectionFixture<ClientClusterFixture>
{
    public const string Name = "client against an in-process cluster";
}
