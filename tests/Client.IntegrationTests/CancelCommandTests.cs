using Sweep.Client.Commands;
using Sweep.Client.Output;
using Sweep.Grains.Abstractions.Sweeps;

namespace Sweep.Client.IntegrationTests;

[Collection(ClientClusterCollection.Name)]
public sealed class CancelCommandTests(ClientClusterFixture fixture)
{
    [Fact]
    public async Task Cancel_stops_a_running_sweep()
    {
        // 1000 epochs of 200 ms: runs until cancelled.
        var launch = await CliRun.RunAsync(fixture.Environment, "launch", Specs.Write("cancel-me", "  g: { seed: [1, 2, 3] }", epochs: 1000), "--id", "cancel-me-1");
        Assert.True(launch.ExitCode == ExitCodes.Ok, launch.ToString());
        var running = await CliRun.RunAsync(fixture.Environment, "status", "cancel-me-1");
        Assert.Contains("cancel-me-1: Running", running.Out);

        var cancel = await CliRun.RunAsync(fixture.Environment, "cancel", "cancel-me-1", "--json");

        Assert.True(cancel.ExitCode == ExitCodes.Ok, cancel.ToString());
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        SweepStatus status;
        do
        {
            status = await fixture.Client.GetGrain<ISweepGrain>("cancel-me-1").GetStatus();
        }
        while (status.State == SweepState.Running && DateTime.UtcNow < deadline && await Delay());
        Assert.Equal(SweepState.Cancelled, status.State);
        Assert.Equal(0, status.Counts.Running);
        Assert.NotEqual(SweepState.Running, SweepJson.Deserialize<SweepStatus>(cancel.Out).State);
    }

    [Fact]
    public async Task Cancel_of_an_unknown_sweep_is_invalid_input()
    {
        var run = await CliRun.RunAsync(fixture.Environment, "cancel", "never-launched-0");

        Assert.Equal(ExitCodes.InvalidInput, run.ExitCode);
    }

    private static async Task<bool> Delay()
    {
        await Task.Delay(100);
        return true;
    }
}
