using System.Net;

namespace Sweep.Silo.Telemetry;

/// <summary>
/// Checks, before the exporter is registered, that the scrape endpoint's address can be bound, so that a port
/// already taken (a second silo on the same machine) costs the silo its endpoint, with a warning, not its life.
/// </summary>
public static class PrometheusEndpointProbe
{
    public static string UrlOf(PrometheusEndpointOptions endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return $"http://{endpoint.Host}:{endpoint.Port}{endpoint.Path}";
    }

    /// <summary>True when an HTTP listener can bind the endpoint now; otherwise <paramref name="error"/> says why.</summary>
    public static bool CanListen(PrometheusEndpointOptions endpoint, out string? error)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        using var listener = new HttpListener();
        try
        {
            // The exporter's own prefix: in-process listeners share a port across different paths.
            var path = endpoint.Path.Trim('/');
            listener.Prefixes.Add($"http://{endpoint.Host}:{endpoint.Port}/{path}{(path.Length > 0 ? "/" : "")}");
            listener.Start();
            listener.Stop();
            error = null;
            return true;
        }
        catch (Exception e) when (e is HttpListenerException or ArgumentException or InvalidOperationException)
        {
            error = e.Message;
            return false;
        }
    }
}
