using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Sweep.Client.Commands;
using Sweep.Client.Tests.TestData;
using Xunit;

namespace Sweep.Client.Tests.Commands;

/// <summary>No gateway answers: exit code 3, the gateways tried and how to start a silo.</summary>
public class UnreachableClusterTests
{
    [Theory]
    [InlineData("list")]
    [InlineData("status")]
    [InlineData("results", "quick-sweep-1")]
    [InlineData("report", "quick-sweep-1")]
    [InlineData("cancel", "quick-sweep-1")]
    public async Task Closed_port_gives_exit_code_3_naming_the_gateway_and_how_to_start_a_silo(params string[] command)
    {
        var gateway = $"127.0.0.1:{ClosedPort()}";
        var clock = Stopwatch.StartNew();

        var (exit, console) = await TestConsole.RunAsync([.. command, "--gateway", gateway, "--connect-attempts", "2", "--connect-timeout", "0.5"]);

        Assert.Equal(ExitCodes.ClusterUnreachable, exit);
        Assert.Contains("Cannot reach the Sweep cluster", console.Error);
        Assert.Contains("after 2 attempts", console.Error);
        Assert.Contains($"Gateways tried: {gateway} (connection refused: nothing listens there)", console.Error);
        Assert.Contains("dotnet run --project src/Silo", console.Error);
        Assert.Contains("sweep launch SPEC --local", console.Error);
        Assert.Contains("--gateway HOST:PORT", console.Error);
        Assert.Contains("(attempt 1 of 2)", console.Error);
        Assert.Empty(console.Out);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task The_advice_names_the_gateway_the_client_tried_not_always_30000()
    {
        var port = ClosedPort();

        var (exit, console) = await TestConsole.RunAsync(["list", "--gateway", $"127.0.0.1:{port}", "--connect-attempts", "1", "--connect-timeout", "0.5"]);

        Assert.Equal(ExitCodes.ClusterUnreachable, exit);
        Assert.Contains($"dotnet run --project src/Silo -- --Sweep:Endpoints:GatewayPort={port}   (embedded silo on this machine, gateway 127.0.0.1:{port})", console.Error);
        Assert.DoesNotContain("30000", console.Error);
        Assert.Contains("gateway 127.0.0.1:30000", Sweep.Client.Cluster.ClusterUnreachableException.AdviceFor(["127.0.0.1:30000"]));
    }

    [Fact]
    public async Task Gateways_from_the_environment_are_the_ones_reported()
    {
        var first = $"127.0.0.1:{ClosedPort()}";
        var second = $"127.0.0.1:{ClosedPort()}";
        var environment = new Dictionary<string, string?>
        {
            ["SWEEP_GATEWAYS"] = $"{first},{second}",
            ["Sweep__Client__ConnectAttempts"] = "1",
            ["Sweep__Client__ConnectTimeout"] = "00:00:00.5",
        };

        var (exit, console) = await TestConsole.RunAsync(environment, "list");

        Assert.Equal(ExitCodes.ClusterUnreachable, exit);
        Assert.Contains("after 1 attempt.", console.Error);
        Assert.Contains(first, console.Error);
        Assert.Contains(second, console.Error);
    }

    /// <summary>A loopback port that was free a moment ago (bound, then released).</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
