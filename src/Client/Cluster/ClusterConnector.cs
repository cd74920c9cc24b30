using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Polly;
using Polly.Retry;
using Sweep.Client.Configuration;

namespace Sweep.Client.Cluster;

/// <summary>
/// Connects an Orleans client to the configured gateways, retrying with exponential backoff
/// (Polly); when every attempt fails it throws <see cref="ClusterUnreachableException"/>
/// naming the gateways it tried. Each attempt uses a fresh client host (a failed one is disposed).
/// </summary>
public sealed class ClusterConnector
{
    private readonly ClientOptions _options;
    private readonly IReadOnlyList<GatewayAddress> _gateways;
    private readonly Action<string> _log;

    /// <param name="log">Receives one line per failed attempt (the CLI writes them to stderr).</param>
    public ClusterConnector(ClientOptions options, Action<string>? log = null)
    {
        _options = options;
        _gateways = options.EffectiveGateways.Select(g => GatewayAddress.TryParse(g, out var address, out var error) ? address : throw new UsageException(error)).ToArray();
        _log = log ?? (_ => { });
    }

    public IReadOnlyList<GatewayAddress> Gateways => _gateways;

    public async Task<ClusterConnection> ConnectAsync(CancellationToken cancellationToken) =>
        await ConnectAsync(_options.ConnectAttempts, _ => true, cancellationToken);

    /// <summary>Connects with <paramref name="attempts"/> attempts; <paramref name="keepTrying"/> is asked before each retry (false stops early).</summary>
    public async Task<ClusterConnection> ConnectAsync(int attempts, Func<int, bool> keepTrying, CancellationToken cancellationToken)
    {
        attempts = Math.Max(1, attempts);
        var attempt = 0;
        Exception? lastError = null;
        var pipeline = Retry(attempts - 1, _options.ConnectDelay, _options.ConnectMaxDelay, ex => keepTrying(attempt) && IsConnectionFailure(ex, cancellationToken),
            (error, delay) => _log($"Gateway {string.Join(", ", _gateways)} not reachable (attempt {attempt} of {attempts}): {Short(error)}; retrying in {delay.TotalSeconds:0.0} s"));
        try
        {
            return await pipeline.ExecuteAsync(async ct =>
            {
                attempt++;
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(_options.ConnectTimeout);
                try
                {
                    return await ConnectOnceAsync(timeout.Token);
                }
                catch (OperationCanceledException ex) when (!ct.IsCancellationRequested)
                {
                    lastError = new TimeoutException($"no gateway accepted the client within {_options.ConnectTimeout.TotalSeconds:0.#} s", ex);
                    throw lastError;
                }
                catch (Exception ex) when (IsConnectionFailure(ex, ct))
                {
                    lastError = ex;
                    throw;
                }
            }, cancellationToken);
        }
        catch (Exception ex) when (IsConnectionFailure(ex, cancellationToken))
        {
            var probes = await GatewayProbe.DescribeAsync(_gateways, cancellationToken);
            throw new ClusterUnreachableException(probes, attempt, lastError ?? ex);
        }
    }

    private async Task<ClusterConnection> ConnectOnceAsync(CancellationToken cancellationToken)
    {
        var endpoints = new List<IPEndPoint>();
        foreach (var gateway in _gateways)
        {
            endpoints.AddRange(await gateway.ResolveAsync(cancellationToken));
        }
        if (endpoints.Count == 0)
        {
            throw new ClusterUnreachableException($"none of the gateways {string.Join(", ", _gateways)} resolves to an address");
        }
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        if (Enum.TryParse<LogLevel>(_options.LogLevel, ignoreCase: true, out var level) && level != LogLevel.None)
        {
            builder.Logging.SetMinimumLevel(level);
            builder.Logging.AddSimpleConsole(o => o.TimestampFormat = "HH:mm:ss.fff ");
            builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        }
        builder.UseOrleansClient(client =>
        {
            client.UseStaticClustering(endpoints.ToArray());
            // The launch span's trace continues in the silos' trial, epoch and checkpoint spans.
            client.AddActivityPropagation();
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = _options.ClusterId;
                o.ServiceId = _options.ServiceId;
            });
        });
        var host = builder.Build();
        try
        {
            await host.StartAsync(cancellationToken);
        }
        catch
        {
            await DisposeQuietlyAsync(host);
            throw;
        }
        return new ClusterConnection(host, host.Services.GetRequiredService<IClusterClient>(), _options, _log);
    }

    internal static ResiliencePipeline Retry(int retries, TimeSpan delay, TimeSpan maxDelay, Func<Exception, bool> shouldRetry, Action<Exception, TimeSpan> onRetry)
    {
        if (retries <= 0)
        {
            return ResiliencePipeline.Empty;
        }
        return new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(shouldRetry),
                MaxRetryAttempts = retries,
                BackoffType = DelayBackoffType.Exponential,
                Delay = delay,
                MaxDelay = maxDelay,
                UseJitter = true,
                OnRetry = args =>
                {
                    if (args.Outcome.Exception is { } error)
                    {
                        onRetry(error, args.RetryDelay);
                    }
                    return default;
                },
            })
            .Build();
    }

    /// <summary>Anything but the caller's cancellation and the client's own usage errors counts as "not reachable".</summary>
    private static bool IsConnectionFailure(Exception ex, CancellationToken cancellationToken) =>
        !(ex is OperationCanceledException && cancellationToken.IsCancellationRequested) && ex is not UsageException;

    internal static string Short(Exception error)
    {
        var message = error.Message;
        var newline = message.IndexOf('\n', StringComparison.Ordinal);
        return newline < 0 ? message : message[..newline].TrimEnd();
    }

    private static async Task DisposeQuietlyAsync(IHost host)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await host.StopAsync(timeout.Token);
        }
        catch (Exception)
        {
            // The host never connected; stopping it is best effort.
        }
        if (host is IAsyncDisposable asyncDisposable)
        {
            await asyncDisposable.DisposeAsync();
        }
        else
        {
            host.Dispose();
        }
    }

    internal static Task StopAsync(IHost host) => DisposeQuietlyAsync(host);
}
