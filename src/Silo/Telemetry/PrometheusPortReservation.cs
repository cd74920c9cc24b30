using System.Net;

namespace Sweep.Silo.Telemetry;

/// <summary>
/// The scrape endpoint bound by Sweep between the silo's configuration and the exporter's start. Without it a
/// silo that checked the port, then took seconds to start, lost it to another process starting beside it, and
/// the exporter's failure stopped the host (seen with two silos starting at once on one machine). Released when
/// the exporter configures its listener; a host whose meter provider is never built holds it until it exits.
/// </summary>
public sealed class PrometheusPortReservation : IDisposable
{
    private HttpListener? _listener;

    internal PrometheusPortReservation(HttpListener listener) => _listener = listener;

    /// <summary>Frees the endpoint for the exporter, which binds it right after (idempotent).</summary>
    public void Release() => Interlocked.Exchange(ref _listener, null)?.Close();

    public void Dispose() => Release();
}
