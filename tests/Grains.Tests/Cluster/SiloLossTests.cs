using Sweep.Grains.Abstractions.Sweeps;
using Sweep.Grains.Abstractions.Trials;

namespace Sweep.Grains.Tests.Cluster;

public sealed class SiloLossTests
{
    [Fact]
    public async Task Trials_of_a_killed_silo_resume_from_their_checkpoint_on_a_live_silo()
    {
        var state = Directory.CreateTempSubdirectory("sweep-silo-loss-");
        await using var cluster = await SweepTestCluster.StartAsync(silos: 2, slotsPerSilo: 1, durableStateDirectory: state.FullName);
        var id = SweepIds.New("silo-loss");
        var script = new TrialScript { EpochDuration = TimeSpan.FromMilliseconds(400) };
        TestTrialExecutor.Scripts[id] = script;
        var sweep = cluster.Client.GetGrain<ISweepGrain>(id);
        await sweep.Launch(SweepTestCluster.Spec("silo-loss", "{ seed: [1, 2, 3, 4] }", epochs: 5));
        // Kill the silo that does not host the coordinator, mid-trial (the real-process test kills either).
        Assert.True(cluster.TryGetGrainContext(sweep.GetGrainId(), out var coordinator));
        var victim = cluster.Silos.First(s => !s.SiloAddress.Equals(coordinator.Address.SiloAddress));
        var victimAddress = victim.SiloAddress.ToParsableString();

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
        await cluster.KillSiloAsync(victim);

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
        var state = Directory.CreateTempSubdirectory("sweep-silo-loss-0-");
        await using var cluster = await SweepTestCluster.StartAsync(silos: 2, slotsPerSilo: 1, durableStateDirectory: state.FullName);
        var id = SweepIds.New("silo-loss-0");
        var script = new TrialScript { EpochDuration = TimeSpan.FromSeconds(3) };
        TestTrialExecutor.Scripts[id] = script;
        var sweep = cluster.Client.GetGrain<ISweepGrain>(id);
        await sweep.Launch(SweepTestCluster.Spec("silo-loss-0", "{ seed: [1, 2] }", epochs: 2));
        Assert.True(cluster.TryGetGrainContext(sweep.GetGrainId(), out var coordinator));
        var victim = cluster.Silos.First(s => !s.SiloAddress.Equals(coordinator.Address.SiloAddress));
        var victimAddress = victim.SiloAddress.ToParsableString();

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        TrialProgress? trial = null;
        while (trial is null)
        {
            // The trials themselves know where they run before their first epoch ends.
            foreach (var index in new[] { 0, 1 })
            {
                var progress = await cluster.Client.GetGrain<ITrialGrain>(new TrialKey(id, index).ToString()).GetProgress();
                if (progress.Silo == victimAddress && progress.State == TrialState.Running && progress.CheckpointEpoch == 0)
                {
                    trial = progress;
                }
            }
            Assert.True(trial is not null || DateTime.UtcNow < deadline, "no trial started on the second silo");
            await Task.Delay(20);
        }
        await cluster.KillSiloAsync(victim);

        var finished = await SweepTestCluster.WaitUntilFinishedAsync(sweep, TimeSpan.FromSeconds(90));
        Assert.Equal(SweepState.Completed, finished.State);
        var result = (await sweep.GetResults()).Single(r => r.Index == trial.Key.Index);
        // The first restart came before any checkpoint (a busy machine may add another later): listed as 0, one entry per restart.
        Assert.True(result.Attempts >= 2, $"attempts {result.Attempts}");
        Assert.Equal(result.Attempts - 1, result.ResumedFromEpochs.Count);
        Assert.Equal(0, result.ResumedFromEpochs[0]);
    }
}

public sealed class GracefulShutdownTests
{
    [Fact]
    public async Task A_stopping_silo_lets_its_trials_checkpoint_before_they_move()
    {
        var state = Directory.CreateTempSubdirectory("sweep-shutdown-");
        await using var cluster = await SweepTestCluster.StartAsync(silos: 2, slotsPerSilo: 1, durableStateDirectory: state.FullName);
        var id = SweepIds.New("shutdown");
        TestTrialExecutor.Scripts[id] = new TrialScript { EpochDuration = TimeSpan.FromMilliseconds(500) };
        var sweep = cluster.Client.GetGrain<ISweepGrain>(id);
        await sweep.Launch(SweepTestCluster.Spec("shutdown", "{ seed: [1, 2] }", epochs: 6));
        Assert.True(cluster.TryGetGrainContext(sweep.GetGrainId(), out var coordinator));
        var stopping = cluster.Silos.First(s => !s.SiloAddress.Equals(coordinator.Address.SiloAddress));
        var address = stopping.SiloAddress.ToParsableString();

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        TrialStatus? trial;
        while ((trial = (await sweep.GetStatus()).Trials.FirstOrDefault(t => t.Progress?.Silo == address && t.Progress.CheckpointEpoch >= 1)) is null)
        {
            Assert.True(DateTime.UtcNow < deadline, "no trial checkpointed on the stopping silo");
            await Task.Delay(50);
        }
        var checkpointAtStop = trial.Progress!.CheckpointEpoch;
        await cluster.StopSiloAsync(stopping);

        var finished = await SweepTestCluster.WaitUntilFinishedAsync(sweep, TimeSpan.FromSeconds(60));
        Assert.Equal(SweepState.Completed, finished.State);
        var result = (await sweep.GetResults()).Single(r => r.Index == trial.Spec.Index);
        Assert.Equal(TrialState.Completed, result.State);
        // It checkpointed at least once more while the silo stopped, and resumed from there.
        Assert.True(result.ResumedFromEpochs.Count > 0 && result.ResumedFromEpochs.Max() > checkpointAtStop,
            $"resumed from [{string.Join(',', result.ResumedFromEpochs)}], checkpoint at stop {checkpointAtStop}");
    }
}

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
