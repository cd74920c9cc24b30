using Microsoft.Extensions.Logging.Abstractions;
using Sweep.Grains.Abstractions.Trials;
using Sweep.Grains.Sweeps;
using static Sweep.Grains.Tests.Sweeps.SweepRecords;

namespace Sweep.Grains.Tests.Sweeps;

public sealed class SweepWatchdogTests
{
    [Fact]
    public void A_trial_queued_on_a_live_silo_that_never_heard_of_it_is_sent_its_spec_there()
    {
        var live = SiloAt(1001);
        var trials = Pending(2);
        // Dispatched, but its start call never arrived: the coordinator holds a slot for it, nothing else starts it.
        trials[1].On(TrialState.Queued, live);

        var (lost, pings) = SweepWatchdog.Round("s", trials, new Dictionary<SiloAddress, int> { [live] = 1 }, NullLogger.Instance);

        Assert.Empty(lost);
        var ping = Assert.Single(pings);
        Assert.Same(trials[1], ping.Trial);
        Assert.Equal(live, ping.Silo);
        Assert.Equal(1, ping.Trial.Spec.Index);
        Assert.Equal(TrialState.Queued, trials[1].State);
        Assert.Equal(0, trials[1].Restarts);
    }

    [Fact]
    public void A_trial_of_a_lost_silo_goes_back_to_pending_and_counts_one_restart()
    {
        var (live, gone) = (SiloAt(1001), SiloAt(1002));
        var trials = Pending(4);
        trials[0].On(TrialState.Running, live);
        trials[1].On(TrialState.Running, gone);
        trials[2].On(TrialState.Completed, null);

        var (lost, pings) = SweepWatchdog.Round("s", trials, new Dictionary<SiloAddress, int> { [live] = 2 }, NullLogger.Instance);

        Assert.Same(trials[1], Assert.Single(lost));
        Assert.Equal((TrialState.Pending, (string?)null, 1), (trials[1].State, trials[1].Silo, trials[1].Restarts));
        Assert.Same(trials[0], Assert.Single(pings).Trial);
        Assert.Equal(TrialState.Completed, trials[2].State);
        Assert.Equal(TrialState.Pending, trials[3].State);
    }
}
