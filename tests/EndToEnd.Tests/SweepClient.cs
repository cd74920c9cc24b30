using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using StackExchange.Redis;
using Sweep.Grains.Abstractions.Sweeps;

namespace Sweep.EndToEnd.Tests;

/// <summary>An Orleans client of the real silos, as the CLI would build one.</summary>
public sealed class SweepClient : IAsyncDisposable
{
    private readonly IHost _host;

    private SweepClient(IHost host) => _host = host;

    public IClusterClient Cluster => _host.Services.GetRequiredService<IClusterClient>();

    public static Task<SweepClient> ConnectToRedisClusterAsync(string redis, string clusterId) =>
        ConnectAsync(client => client.UseRedisClustering(o => o.ConfigurationOptions = ConfigurationOptions.Parse(redis)), clusterId);

    public static Task<SweepClient> ConnectToEmbeddedAsync(int gatewayPort, string clusterId) =>
        ConnectAsync(client => client.UseLocalhostClustering(gatewayPort, clusterId, clusterId), clusterId);

    private static async Task<SweepClient> ConnectAsync(Action<IClientBuilder> clustering, string clusterId)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleansClient(client =>
        {
            clustering(client);
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = clusterId;
                o.ServiceId = clusterId;
            });
            client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(10));
        });
        var host = builder.Build();
        await host.StartAsync();
        return new SweepClient(host);
    }

    /// <summary>Polls the sweep until <paramref name="until"/> holds, riding out calls that fail while a silo is being declared dead.</summary>
    public async Task<SweepStatus> WaitAsync(string sweepId, Func<SweepStatus, bool> until, TimeSpan timeout, Func<string>? describe = null)
    {
        var sweep = Cluster.GetGrain<ISweepGrain>(sweepId);
        var deadline = DateTime.UtcNow + timeout;
        SweepStatus? last = null;
        Exception? lastError = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                last = await sweep.GetStatus();
                if (until(last))
                {
                    return last;
                }
            }
            catch (Exception e) when (e is OrleansException or TimeoutException or SiloUnavailableException)
            {
                lastError = e;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException(
            $"sweep {sweepId}: condition not met after {timeout}; last counts {last?.Counts}; last error {lastError?.Message}{Environment.NewLine}{describe?.Invoke()}");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _host.StopAsync(TimeSpan.FromSeconds(5));
        }
        finally
        {
            _host.Dispose();
        }
    }
}
