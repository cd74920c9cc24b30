using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace Sweep.Observability.Tests.Support;

/// <summary>The Debian prometheus and promtool binaries (package "prometheus"; tests/run.sh installs it).</summary>
public static class PrometheusTools
{
    public static string Prometheus => Find("prometheus", "PROMETHEUS_BIN");

    public static string Promtool => Find("promtool", "PROMTOOL_BIN");

    /// <summary>Runs promtool; returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunPromtoolAsync(params string[] args)
    {
        var start = new ProcessStartInfo(Promtool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    private static string Find(string name, string variable)
    {
        var configured = Environment.GetEnvironmentVariable(variable);
        var candidates = new[] { configured }
            .Concat((Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(dir => Path.Combine(dir, name)))
            .Append("/usr/bin/" + name);
        return candidates.FirstOrDefault(c => !string.IsNullOrEmpty(c) && File.Exists(c))
            ?? throw new InvalidOperationException(
                $"The '{name}' binary was not found (PATH, /usr/bin, ${variable}). Install the Debian package: " +
                "`apt-get install -y prometheus` (tests/run.sh does it), then stop the service it starts.");
    }
}

/// <summary>A private Prometheus on a free loopback port with a generated config, killed on dispose.</summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;
    private readonly HttpClient _http;

    private PrometheusServer(Process process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(10) };
    }

    public string Log { get; private set; } = "";

    /// <summary>Starts Prometheus scraping <paramref name="target"/> (host:port) every second.</summary>
    public static async Task<PrometheusServer> StartAsync(string target)
    {
        var directory = Directory.CreateTempSubdirectory("sweep-prometheus-").FullName;
        var config = Path.Combine(directory, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: sweep-silo
                metrics_path: /metrics
                static_configs:
                  - targets: ["{target}"]
            """);
        var port = FreePort.Next();
        var start = new ProcessStartInfo(PrometheusTools.Prometheus)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[]
        {
            "--config.file=" + config,
            "--storage.tsdb.path=" + Path.Combine(directory, "data"),
            "--web.listen-address=127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture),
            "--log.level=warn",
        })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start)!;
        var server = new PrometheusServer(process, directory, port);
        process.ErrorDataReceived += (_, e) => server.Log += e.Data + "\n";
        process.OutputDataReceived += (_, e) => server.Log += e.Data + "\n";
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        await server.WaitReadyAsync();
        return server;
    }

    /// <summary>Result of an instant query: the "data" element, after checking the status is success.</summary>
    public async Task<JsonElement> QueryAsync(string promql)
    {
        using var response = await _http.GetAsync("api/v1/query?query=" + Uri.EscapeDataString(promql));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var status = body.GetProperty("status").GetString();
        if (status != "success")
        {
            throw new InvalidOperationException($"Prometheus rejected `{promql}`: {body}");
        }

        return body.GetProperty("data");
    }

    /// <summary>Polls until the query returns at least one series.</summary>
    public async Task<JsonElement> WaitForSeriesAsync(string promql, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var data = await QueryAsync(promql);
            if (data.GetProperty("result").GetArrayLength() > 0)
            {
                return data;
            }

            if (DateTime.UtcNow > deadline)
            {
                var targets = await _http.GetStringAsync("api/v1/targets");
                throw new TimeoutException($"No series for `{promql}` after {timeout}. Targets: {targets}\nPrometheus log:\n{Log}");
            }

            await Task.Delay(500);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task WaitReadyAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"prometheus exited with {_process.ExitCode}:\n{Log}");
            }

            try
            {
                using var response = await _http.GetAsync("-/ready");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"prometheus did not become ready in 30 s:\n{Log}");
    }
}
