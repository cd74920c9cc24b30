using System.IO.Compression;
using System.Net;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Sweep.Pruning.Data;

/// <summary>
/// A web mirror serving "&lt;file name&gt;.gz" under a base address. Transient failures
/// (connection errors, timeouts, 5xx, 429) are retried with backoff; a 404 is not.
/// </summary>
public sealed class HttpMirrorSource : IDatasetSource
{
    private static readonly Lazy<HttpClient> SharedClient = new(() => new HttpClient(new SocketsHttpHandler
    {
        ConnectTimeout = TimeSpan.FromSeconds(15),
        AutomaticDecompression = DecompressionMethods.None,
    })
    {
        Timeout = Timeout.InfiniteTimeSpan, // the resilience pipeline bounds each attempt
    });

    private readonly Uri _baseAddress;
    private readonly HttpClient _http;
    private readonly ResiliencePipeline _pipeline;

    public HttpMirrorSource(Uri baseAddress, HttpClient? http = null, int maxRetryAttempts = 2, TimeSpan? attemptTimeout = null)
    {
        _baseAddress = baseAddress.AbsoluteUri.EndsWith('/') ? baseAddress : new Uri(baseAddress.AbsoluteUri + "/");
        _http = http ?? SharedClient.Value;
        var retry = new RetryStrategyOptions
        {
            MaxRetryAttempts = maxRetryAttempts,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromSeconds(1),
            ShouldHandle = new PredicateBuilder()
                .Handle<HttpRequestException>(IsTransient)
                .Handle<TimeoutRejectedException>()
                .Handle<IOException>(),
        };
        _pipeline = new ResiliencePipelineBuilder()
            .AddRetry(retry)
            .AddTimeout(attemptTimeout ?? TimeSpan.FromMinutes(2))
            .Build();
    }

    public string Description => $"mirror {_baseAddress}";

    public async Task<IReadOnlyDictionary<string, string>> FetchAsync(
        KnownDataset dataset, string stagingDirectory, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var origins = new Dictionary<string, string>();
        foreach (var name in dataset.Sha256ByFile.Keys)
        {
            var address = new Uri(_baseAddress, name + ".gz");
            var download = Path.Combine(stagingDirectory, name + ".gz");
            progress?.Report($"downloading {address}");
            await _pipeline.ExecuteAsync(async token =>
            {
                using var response = await _http.GetAsync(address, HttpCompletionOption.ResponseHeadersRead, token);
                response.EnsureSuccessStatusCode();
                await using var output = new FileStream(download, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
                await response.Content.CopyToAsync(output, token);
            }, cancellationToken);

            await using (var input = new GZipStream(File.OpenRead(download), CompressionMode.Decompress))
            await using (var output = new FileStream(Path.Combine(stagingDirectory, name), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                await input.CopyToAsync(output, cancellationToken);
            }
            File.Delete(download);
            origins[name] = address.AbsoluteUri;
        }
        return origins;
    }

    private static bool IsTransient(HttpRequestException ex) =>
        ex.StatusCode is null
        || ex.StatusCode == HttpStatusCode.RequestTimeout
        || ex.StatusCode == HttpStatusCode.TooManyRequests
        || (int)ex.StatusCode >= 500;
}
