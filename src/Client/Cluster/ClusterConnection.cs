using Microsoft.Extensions.Hosting;
using Orleans.Runtime;
using Polly;
using Sweep.Client.Configuration;
using Sweep.Grains.Abstractions.Sweeps;

namespace Sweep.Client.Cluster;

/// <summary>
/// A connected client. Grain calls go through <see cref="CallAsync{T}"/>, which retries transient
/// failures (a silo lost, a timeout) with backoff; when they persist the cluster is reported
/// unreachable. Dispose to disconnect.
/// </summary>
public sealed class ClusterConnection : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly ClientOptions _options;
    private readonly ResiliencePipeline _calls;

    internal ClusterConnection(IHost host, IClusterClient client, ClientOptions options, Action<string> log)
    {
        _host = host;
        Client = client;
        _options = options;
        _calls = ClusterConnector.Retry(options.CallAttempts - 1, options.ConnectDelay, options.ConnectMaxDelay, IsTransient,
            (error, delay) => log($"Cluster call failed: {ClusterConnector.Short(error)}; retrying in {delay.TotalSeconds:0.0} s"));
    }

    public IClusterClient Client { get; }

    public ISweepGrain Sweep(string sweepId) => Client.GetGrain<ISweepGrain>(sweepId);

    public ISweepRegistryGrain Registry => Client.GetGrain<ISweepRegistryGrain>(ISweepRegistryGrain.Key);

    /// <summary>Runs a grain call with retries of transient failures.</summary>
    public async Task<T> CallAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await _calls.ExecuteAsync(async _ => await call(), cancellationToken);
        }
        catch (Exception ex) when (IsTransient(ex))
        {
            throw new ClusterUnreachableException(_options.EffectiveGateways, _options.CallAttempts, ex);
        }
    }

    public async Task CallAsync(Func<Task> call, CancellationToken cancellationToken) =>
        await CallAsync(async () =>
        {
            await call();
            return true;
        }, cancellationToken);

    /// <summary>The status of a launched sweep; <see cref="UsageException"/> when no sweep has that id.</summary>
    public async Task<SweepStatus> GetLaunchedStatusAsync(string sweepId, CancellationToken cancellationToken)
    {
        var status = await CallAsync(() => Sweep(sweepId).GetStatus(), cancellationToken);
        if (status.State == SweepState.NotLaunched)
        {
            throw new UsageException($"No sweep '{sweepId}' on this cluster; `sweep list` shows the sweeps it has.");
        }
        return status;
    }

    internal static bool IsTransient(Exception ex) =>
        ex is SiloUnavailableException or TimeoutException or OrleansMessageRejectionException or Orleans.Runtime.Messaging.ConnectionFailedException;

    public async ValueTask DisposeAsync() => await ClusterConnector.StopAsync(_host);
}
