using System.Net.Sockets;

namespace Sweep.Client.Cluster;

/// <summary>After a failed connection: what each gateway does at the TCP level, for the error message.</summary>
public static class GatewayProbe
{
    /// <summary>"HOST:PORT (connection refused: nothing listens there)" and the like, one per gateway.</summary>
    public static async Task<IReadOnlyList<string>> DescribeAsync(IReadOnlyList<GatewayAddress> gateways, CancellationToken cancellationToken)
    {
        var described = new List<string>();
        foreach (var gateway in gateways)
        {
            described.Add($"{gateway} ({await ProbeAsync(gateway, cancellationToken)})");
        }
        return described;
    }

    private static async Task<string> ProbeAsync(GatewayAddress gateway, CancellationToken cancellationToken)
    {
        try
        {
            var endpoints = await gateway.ResolveAsync(cancellationToken);
            if (endpoints.Count == 0)
            {
                return "resolves to no address";
            }
            using var socket = new Socket(endpoints[0].AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            await socket.ConnectAsync(endpoints[0], timeout.Token);
            return "accepts TCP connections but not this client: is it an Orleans gateway with the same ClusterId and ServiceId (Sweep:Client:ClusterId, SWEEP_CLUSTER_ID)?";
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return "connection refused: nothing listens there";
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain)
        {
            return "host name not found";
        }
        catch (SocketException ex)
        {
            return ex.SocketErrorCode.ToString();
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return "no answer within 2 s";
        }
    }
}
