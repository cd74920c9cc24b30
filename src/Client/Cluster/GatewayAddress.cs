using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Sweep.Client.Cluster;

/// <summary>A gateway as the user wrote it (HOST:PORT, [IPv6]:PORT); resolved to endpoints when connecting.</summary>
public sealed record GatewayAddress(string Host, int Port)
{
    public override string ToString() => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";

    /// <summary>Null when <paramref name="text"/> is a valid HOST:PORT, else why not (names the value).</summary>
    public static string? Check(string text) => TryParse(text, out _, out var error) ? null : error;

    public static GatewayAddress Parse(string text) =>
        TryParse(text, out var address, out var error) ? address : throw new FormatException(error);

    public static bool TryParse(string text, out GatewayAddress address, out string error)
    {
        address = new GatewayAddress("", 0);
        error = "";
        var value = text.Trim();
        string host, port;
        if (value.StartsWith('['))
        {
            var close = value.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || close + 1 >= value.Length || value[close + 1] != ':')
            {
                error = $"gateway '{text}' is not HOST:PORT (IPv6 as [ADDRESS]:PORT)";
                return false;
            }
            host = value[1..close];
            port = value[(close + 2)..];
        }
        else
        {
            var colon = value.LastIndexOf(':');
            if (colon <= 0 || value.IndexOf(':', StringComparison.Ordinal) != colon)
            {
                error = $"gateway '{text}' is not HOST:PORT (IPv6 as [ADDRESS]:PORT)";
                return false;
            }
            host = value[..colon];
            port = value[(colon + 1)..];
        }
        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number is < 1 or > 65535)
        {
            error = $"gateway '{text}': port '{port}' is not a number from 1 to 65535";
            return false;
        }
        if (host.Length == 0 || Uri.CheckHostName(host) == UriHostNameType.Unknown)
        {
            error = $"gateway '{text}': '{host}' is not a host name or IP address";
            return false;
        }
        address = new GatewayAddress(host, number);
        return true;
    }

    /// <summary>The IP endpoints of this gateway (a host name may resolve to several; IPv4 first).</summary>
    public async Task<IReadOnlyList<IPEndPoint>> ResolveAsync(CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(Host, out var ip))
        {
            return [new IPEndPoint(ip, Port)];
        }
        var addresses = await Dns.GetHostAddressesAsync(Host, cancellationToken);
        return addresses
            .Where(a => a.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6)
            .OrderBy(a => a.AddressFamily == AddressFamily.InterNetwork ? 0 : 1)
            .Select(a => new IPEndPoint(a, Port))
            .ToArray();
    }
}
