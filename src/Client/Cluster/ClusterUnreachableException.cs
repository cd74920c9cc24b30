namespace Sweep.Client.Cluster;

/// <summary>No gateway answered within the retry budget. The message names what was tried and how to start a silo (exit code 3).</summary>
public sealed class ClusterUnreachableException : Exception
{
    public ClusterUnreachableException() : this([], 0, null) { }

    public ClusterUnreachableException(string message) : base(message) => Gateways = [];

    public ClusterUnreachableException(string message, Exception innerException) : base(message, innerException) => Gateways = [];

    public ClusterUnreachableException(IReadOnlyList<string> gateways, int attempts, Exception? lastError)
        : base(Describe(gateways, attempts, lastError), lastError)
    {
        Gateways = gateways;
        Attempts = attempts;
    }

    public IReadOnlyList<string> Gateways { get; }

    public int Attempts { get; }

    /// <summary>What a user can do about it, for the gateways the client tried; part of the message.</summary>
    public static string AdviceFor(IReadOnlyList<string> gateways)
    {
        // The embedded silo listens where the client looked: name that gateway, not always the default one.
        // A gateway may come with what its probe saw: "127.0.0.1:30001 (connection refused: ...)".
        var port = gateways.Count == 1 && GatewayAddress.TryParse(gateways[0].Split(' ', 2)[0], out var address, out _) ? address.Port : DefaultGatewayPort;
        var start = port == DefaultGatewayPort
            ? "  dotnet run --project src/Silo            (embedded silo on this machine, gateway 127.0.0.1:30000)\n"
            : $"  dotnet run --project src/Silo -- --Sweep:Endpoints:GatewayPort={port}   (embedded silo on this machine, gateway 127.0.0.1:{port})\n";
        return "Start a silo first, then run the command again:\n" + start +
            "or run a sweep in one command with its own silo:\n" +
            "  sweep launch SPEC --local\n" +
            "or point the client at a running cluster:\n" +
            "  sweep COMMAND --gateway HOST:PORT        (or SWEEP_GATEWAYS=HOST:PORT,... or Sweep:Client:Gateways in appsettings.json)";
    }

    private const int DefaultGatewayPort = 30000;

    private static string Describe(IReadOnlyList<string> gateways, int attempts, Exception? lastError)
    {
        var tried = gateways.Count == 0 ? "(none configured)" : string.Join(", ", gateways);
        var last = lastError is null ? "" : $"\nLast error: {FirstLine(lastError)}";
        return $"Cannot reach the Sweep cluster: no gateway answered after {attempts} attempt{(attempts == 1 ? "" : "s")}.\nGateways tried: {tried}{last}\n{AdviceFor(gateways)}";
    }

    private static string FirstLine(Exception error)
    {
        var innermost = error;
        while (innermost.InnerException is not null && innermost is AggregateException or System.Reflection.TargetInvocationException)
        {
            innermost = innermost.InnerException;
        }
        var message = innermost.Message;
        var newline = message.IndexOf('\n', StringComparison.Ordinal);
        return $"{innermost.GetType().Name}: {(newline < 0 ? message : message[..newline].TrimEnd())}";
    }
}
