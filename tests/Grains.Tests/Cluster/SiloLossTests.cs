using Sweep.Grains.Abstractions.Sweeps;
using Sweep.Grains.Abstractions.Trials;

namespace Sweep.Grains.Tests.Cluster;

public sealed class SiloLossTests
{
    [Fact]
    public async Task Trials_of_a_killed_silo_resume_from_their_checkpoint_on_a_live_silo()
    {
        // Kill the silo that does not host the coordinator, mid-trial (the real-process test kills either).
        await using var run = await TwoSiloSweep.LaunchAsync("silo-loss", "{ seed: [1, 2, 3, 4] }", epochs: 5, TimeSpan.FromMilliseconds(400));
        var (sweep, script, victimAddress) = (run.Sweep, run.Script, run.OtherSiloAddress);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var status = await sweep.GetStatus();
            if (status.Trials.Any(t => t.Progress?.Silo == victimAddress && t.Progress.CheckpointEpoch >= 1))
            {
                break;
            }
            Assert.True(DateTime.UtcNow < deadline, "no trial reached a checkpoint on the second silo");
            await Task.Delay(50);
        }
        await run.Cluster.KillSiloAsync(run.OtherSilo);

        var finished = await SweepTestCluster.WaitUntilFinishedAsync(sweep, TimeSpan.FromSeconds(90));
        Assert.Equal(SweepState.Completed, finished.State);
        var results = await sweep.GetResults();
        Assert.Equal([0, 1, 2, 3], results.Select(r => r.Index));
        Assert.All(results, r => Assert.Equal(TrialState.Completed, r.State));
        var resumed = results.Where(r => r.ResumedFromEpochs.Count > 0).ToArray();
        Assert.NotEmpty(resumed);
        Assert.All(resumed, r => Assert.True(r.ResumedFromEpochs.Max() > 0));
        // One entry per restart, whatever epoch it resumed from.
        Assert.All(results, r => Assert.Equal(r.Attempts - 1, r.ResumedFromEpochs.Count));
        Assert.Contains(finished.Trials, t => t.Restarts > 0);
        Assert.Contains(script.Runs, r => r.FromEpoch > 0);
    }

    [Fact]
    public async Task A_restart_before_the_first_checkpoint_is_listed_as_resumed_from_epoch_0()
    {
        await using var run = await TwoSiloSweep.LaunchAsync("silo-loss-0", "{ seed: [1, 2] }", epochs: 2, TimeSpan.FromSeconds(3));
        var (id, sweep, victimAddress) = (run.Id, run.Sweep, run.OtherSiloAddress);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        TrialProgress? trial = null;
        while (trial is null)
        {
            // The trials themselves know where they run before their first epoch ends.
            foreach (var index in new[] { 0, 1 })
            {
                var progress = await run.Cluster.Client.GetGrain<ITrialGrain>(new TrialKey(id, index).ToString()).GetProgress();
                if (progress.Silo == victimAddress && progress.State == TrialState.Running && progress.CheckpointEpoch == 0)
                {
                    trial = progress;
                }
            }
            Assert.True(trial is not null || DateTime.UtcNow < deadline, "no trial started on the second silo");
            await Task.Delay(20);
        }
        await run.Cluster.KillSiloAsync(run.OtherSilo);

        var finished = await SweepTestCluster.WaitUntilFinishedAsync(sweep, TimeSpan.FromSeconds(90));
        Assert.Equal(SweepState.Completed, finished.State);
        var result = (await sweep.GetResults()).Single(r => r.Index == trial.Key.Index);
        // The first restart came before any checkpoint (a busy machine may add another later): listed as 0, one entry per restart.
        Assert.True(result.Attempts >= 2, $"attempts {result.Attempts}");
        Assert.Equal(result.Attempts - 1, result.ResumedFromEpochs.Count);
        Assert.Equal(0, result.ResumedFromEpochs[0]);
    }
}
