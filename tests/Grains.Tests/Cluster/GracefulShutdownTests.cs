using Sweep.Grains.Abstractions.Sweeps;
using Sweep.Grains.Abstractions.Trials;

namespace Sweep.Grains.Tests.Cluster;

public sealed class GracefulShutdownTests
{
    [Fact]
    public async Task A_stopping_silo_lets_its_trials_checkpoint_before_they_move()
    {
        await using var run = await TwoSiloSweep.LaunchAsync("shutdown", "{ seed: [1, 2] }", epochs: 6, TimeSpan.FromMilliseconds(500));
        var (sweep, address) = (run.Sweep, run.OtherSiloAddress);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        TrialStatus? trial;
        while ((trial = (await sweep.GetStatus()).Trials.FirstOrDefault(t => t.Progress?.Silo == address && t.Progress.CheckpointEpoch >= 1)) is null)
        {
            Assert.True(DateTime.UtcNow < deadline, "no trial checkpointed on the stopping silo");
            await Task.Delay(50);
        }
        // The status shows a checkpoint once it is stored, a moment before the runner checks whether to stop after it: a
        // stop in that moment rightly stops after that very checkpoint. Half an epoch later the trial is mid-epoch, so its
        // next checkpoint is the one the stop waits for.
        await Task.Delay(TimeSpan.FromMilliseconds(250));
        var checkpointAtStop = (await sweep.GetStatus()).Trials.Single(t => t.Spec.Index == trial.Spec.Index).Progress!.CheckpointEpoch;
        await run.Cluster.StopSiloAsync(run.OtherSilo);

        var finished = await SweepTestCluster.WaitUntilFinishedAsync(sweep, TimeSpan.FromSeconds(60));
        Assert.Equal(SweepState.Completed, finished.State);
        var result = (await sweep.GetResults()).Single(r => r.Index == trial.Spec.Index);
        Assert.Equal(TrialState.Completed, result.State);
        // It checkpointed at least once more while the silo stopped, and resumed from there.
        Assert.True(result.ResumedFromEpochs.Count > 0 && result.ResumedFromEpochs.Max() > checkpointAtStop,
            $"resumed from [{string.Join(',', result.ResumedFromEpochs)}], checkpoint at stop {checkpointAtStop}");
    }
}
