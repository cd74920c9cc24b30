using Sweep.Grains.Abstractions.Trials;
using Sweep.Grains.Sweeps;
using static Sweep.Grains.Tests.Sweeps.SweepRecords;

namespace Sweep.Grains.Tests.Sweeps;

public sealed class TrialDispatcherTests
{
    private static readonly DateTime Now = new(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);

    [Fact]
    public void Pending_trials_start_in_trial_order_until_the_free_slots_are_taken()
    {
        var (a, b) = (SiloAt(1001), SiloAt(1002));
        var trials = Pending(5);
        trials[0].On(TrialState.Running, b);

        var starts = TrialDispatcher.Place(trials, new Dictionary<SiloAddress, int> { [a] = 3, [b] = 1 }, Now);

        Assert.Equal([1, 2, 3], starts.Select(s => s.Trial.Index));
        Assert.All(starts, s => Assert.Equal(a, s.Silo));
        Assert.All(starts, s => Assert.Equal((TrialState.Queued, a.ToParsableString(), Now), (s.Trial.State, s.Trial.Silo, s.Trial.DispatchedAt)));
        Assert.Equal(TrialState.Pending, trials[4].State);
        Assert.Null(trials[4].Silo);
    }

    [Fact]
    public void Each_trial_goes_to_the_silo_with_the_most_free_slots()
    {
        var (a, b) = (SiloAt(1001), SiloAt(1002));
        var trials = Pending(4);

        var starts = TrialDispatcher.Place(trials, new Dictionary<SiloAddress, int> { [a] = 1, [b] = 3 }, Now);

        Assert.Equal([b, b], starts.Take(2).Select(s => s.Silo));
        Assert.Equal(4, starts.Count);
        Assert.Equal(1, starts.Count(s => s.Silo == a));
    }

    [Fact]
    public void Nothing_starts_without_a_live_silo()
    {
        var trials = Pending(2);

        Assert.Empty(TrialDispatcher.Place(trials, new Dictionary<SiloAddress, int>(), Now));
        Assert.All(trials, t => Assert.Equal(TrialState.Pending, t.State));
    }

    [Fact]
    public async Task Passes_asked_for_while_one_runs_make_exactly_one_more_pass()
    {
        var dispatcher = new TrialDispatcher();
        var passes = 0;
        async Task Pass()
        {
            passes++;
            if (passes == 1)
            {
                // As when results arrive while the first pass is starting trials.
                await dispatcher.DispatchAsync(Pass, () => true);
                await dispatcher.DispatchAsync(Pass, () => true);
            }
            await Task.Yield();
        }

        await dispatcher.DispatchAsync(Pass, () => true);

        Assert.Equal(2, passes);
    }

    [Fact]
    public async Task No_further_pass_runs_once_the_sweep_stopped_running()
    {
        var dispatcher = new TrialDispatcher();
        var passes = 0;
        var running = true;
        async Task Pass()
        {
            passes++;
            await dispatcher.DispatchAsync(Pass, () => running);
            running = false;
        }

        await dispatcher.DispatchAsync(Pass, () => running);

        Assert.Equal(1, passes);
    }
}
