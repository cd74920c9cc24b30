using Sweep.Client.Commands;
using Sweep.Client.Output;
using Sweep.Grains.Abstractions.Sweeps;

namespace Sweep.Client.IntegrationTests;

/// <summary>`status --watch` outlasts a cluster that stops answering: it keeps trying with backoff and says it is waiting.</summary>
public sealed class WatchWhileUnreachableTests
{
    private static async Task AssertStillWatching(Task<CliRun> watch)
    {
        if (watch.IsCompleted)
        {
            Assert.Fail("the watch ended: " + await watch);
        }
    }

    [Fact]
    public async Task Watch_keeps_waiting_with_backoff_while_no_gateway_answers()
    {
        var cluster = new ClientClusterFixture();
        await cluster.InitializeAsync();
        var stopped = false;
        try
        {
            // More than 100 epochs: the fake trainer runs until cancelled.
            var id = "watch-wait-20261201-000000-0001";
            var launch = await CliRun.RunAsync(cluster.Environment, "launch", Specs.Write("watch-wait", "  g: { seed: [1] }", epochs: 500), "--id", id);
            Assert.True(launch.ExitCode == ExitCodes.Ok, launch.ToString());

            using var cancellation = new CancellationTokenSource();
            var stderr = new StringWriter();
            var watch = CliRun.RunUntilAsync(cluster.Environment, ["status", id, "--watch"], stderr, cancellation.Token);
            await Task.Delay(TimeSpan.FromSeconds(1));
            await AssertStillWatching(watch);

            await cluster.DisposeAsync();
            stopped = true;
            // The old follower gave up after its three call attempts; this one is still waiting well after. A call to a
            // silo that just went may first wait for Orleans' response timeout, longer on a busy machine.
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
            while (!stderr.ToString().Contains("waiting for the cluster", StringComparison.Ordinal) && DateTime.UtcNow < deadline && !watch.IsCompleted)
            {
                await Task.Delay(100);
            }
            await Task.Delay(TimeSpan.FromSeconds(3));
            await AssertStillWatching(watch);
            Assert.Contains("No gateway answers", stderr.ToString(), StringComparison.Ordinal);
            Assert.Contains("Ctrl+C stops following, not the sweep", stderr.ToString(), StringComparison.Ordinal);

            cancellation.Cancel();
            var run = await watch.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.NotEqual(ExitCodes.ClusterUnreachable, run.ExitCode);
        }
        finally
        {
            if (!stopped)
            {
                await cluster.DisposeAsync();
            }
        }
    }
}
