using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace Sweep.Silo.Telemetry;

/// <summary>
/// The scrape endpoint's HTTP listener prefix, and its reservation before the exporter is registered: a port
/// already taken (a second silo on the same machine) costs the silo its endpoint, with a warning, not its life.
/// </summary>
public static class PrometheusEndpoint
{
    /// <summary>Host values that bind every interface (HttpListener's wildcards).</summary>
    public static bool IsWildcard(string host) => host is "*" or "+";

    /// <summary>The HttpListener prefix; "*" and "+" hosts are passed through, which the exporter's own URI builder rejects.</summary>
    public static string PrefixOf(PrometheusEndpointOptions endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var path = endpoint.Path.Trim('/');
        return $"http://{endpoint.Host}:{endpoint.Port}/{path}{(path.Length > 0 ? "/" : "")}";
    }

    /// <summary>
    /// Every prefix the endpoint answers on. HttpListener serves a prefix only to requests whose Host
    /// matches it, so "localhost" alone answered 404 to a Prometheus whose target is 127.0.0.1:9464:
    /// the loopback binding also serves 127.0.0.1. ([::1] cannot be served: the managed HttpListener
    /// rejects IPv6 literal prefixes, "Invalid port in prefix"; "localhost" itself binds what it resolves to.)
    /// </summary>
    public static IReadOnlyList<string> PrefixesOf(PrometheusEndpointOptions endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var prefixes = new List<string> { PrefixOf(endpoint) };
        if (string.Equals(endpoint.Host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            prefixes.Add(PrefixOf(new PrometheusEndpointOptions { Host = "127.0.0.1", Port = endpoint.Port, Path = endpoint.Path }));
        }
        return prefixes;
    }

    public static string UrlOf(PrometheusEndpointOptions endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return $"http://{endpoint.Host}:{endpoint.Port}/{endpoint.Path.TrimStart('/')}";
    }

    /// <summary>
    /// Binds the endpoint now and holds it until the exporter takes it over (<see cref="PrometheusPortReservation.Release"/>),
    /// so that another process starting at the same time cannot take the port in between; false, with
    /// <paramref name="error"/> saying why, when it cannot be bound.
    /// </summary>
    public static bool TryReserve(PrometheusEndpointOptions endpoint, [NotNullWhen(true)] out PrometheusPortReservation? reservation, out string? error)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var listener = new HttpListener();
        try
        {
            // The exporter's own prefixes: in-process listeners share a port across different paths.
            foreach (var prefix in PrefixesOf(endpoint))
            {
                listener.Prefixes.Add(prefix);
            }
            listener.Start();
            reservation = new PrometheusPortReservation(listener);
            error = null;
            return true;
        }
        catch (Exception e) when (e is HttpListenerException or ArgumentException or InvalidOperationException)
        {
            listener.Close();
            reservation = null;
            error = e.Message;
            return false;
        }
    }
}
