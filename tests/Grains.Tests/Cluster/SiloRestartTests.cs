using Sweep.Grains.Abstractions.Sweeps;
using Sweep.Grains.Abstractions.Trials;

namespace Sweep.Grains.Tests.Cluster;

public sealed class SiloRestartTests
{
    [Fact]
    public async Task A_silo_restarted_by_hand_resumes_an_interrupted_sweep_at_start_not_at_the_reminder()
    {
        var state = Directory.CreateTempSubdirectory("sweep-restart-");
        var id = SweepIds.New("restart");
        var script = new TrialScript { EpochDuration = TimeSpan.FromMilliseconds(400) };
        TestTrialExecutor.Scripts[id] = script;
        await using (var first = await SweepTestCluster.StartAsync(silos: 1, slotsPerSilo: 1, durableStateDirectory: state.FullName))
        {
            var sweep = first.Client.GetGrain<ISweepGrain>(id);
            await sweep.Launch(SweepTestCluster.Spec("restart", "{ seed: [1, 2] }", epochs: 4));
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (!(await sweep.GetStatus()).Trials.Any(t => t.Progress?.CheckpointEpoch >= 1))
            {
                Assert.True(DateTime.UtcNow < deadline, "no trial checkpointed");
                await Task.Delay(50);
            }
            await first.StopAllSilosAsync();
        }
        var runsBefore = script.Runs.Count;

        await using var second = await SweepTestCluster.StartAsync(silos: 1, slotsPerSilo: 1, durableStateDirectory: state.FullName);
        // Nothing here touches the sweep (a call would activate it): the silo must start its trials by itself,
        // long before the coordinator's one-minute reminder.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (script.Runs.Count == runsBefore)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), "the restarted silo left the interrupted sweep idle");
            await Task.Delay(50);
        }
        var finished = await SweepTestCluster.WaitUntilFinishedAsync(second.Client.GetGrain<ISweepGrain>(id), TimeSpan.FromSeconds(60));
        Assert.Equal(SweepState.Completed, finished.State);
        Assert.Equal(2, finished.Counts.Completed);
    }
}
