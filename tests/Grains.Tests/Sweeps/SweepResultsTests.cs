using Sweep.Grains.Abstractions.Trials;
using Sweep.Grains.Sweeps;
using static Sweep.Grains.Tests.Sweeps.SweepRecords;

namespace Sweep.Grains.Tests.Sweeps;

public sealed class SweepResultsTests
{
    private static TrialResult Completed(TrialRecord record, double testError) => new()
    {
        Index = record.Index, Grid = record.Spec.Grid, Settings = record.Spec.Settings, State = TrialState.Completed, TestError = testError,
    };

    [Fact]
    public void A_result_delivered_twice_is_recorded_once()
    {
        var silo = SiloAt(1001);
        var trials = Pending(2);
        trials[0].On(TrialState.Running, silo);

        var first = SweepResults.Record("s", trials, Completed(trials[0], 0.02));
        var second = SweepResults.Record("s", trials, Completed(trials[0], 0.99));

        Assert.NotNull(first);
        Assert.Null(second);
        Assert.Equal(0.02, trials[0].Result!.TestError);
        Assert.Equal((TrialState.Completed, (string?)null), (trials[0].State, trials[0].Silo));
        Assert.Equal([0], SweepResults.Delivered(trials).Select(r => r.Index));
    }

    [Fact]
    public void A_result_not_persisted_is_taken_back_so_that_the_next_delivery_counts()
    {
        var silo = SiloAt(1001);
        var trials = Pending(1);
        trials[0].On(TrialState.Running, silo);

        SweepResults.Record("s", trials, Completed(trials[0], 0.02))!.Invoke();

        Assert.Null(trials[0].Result);
        Assert.Equal((TrialState.Running, silo.ToParsableString()), (trials[0].State, trials[0].Silo));
        Assert.NotNull(SweepResults.Record("s", trials, Completed(trials[0], 0.03)));
        Assert.Equal(0.03, trials[0].Result!.TestError);
    }

    [Fact]
    public void A_result_of_a_trial_the_sweep_lacks_or_one_not_final_is_refused_by_name()
    {
        var trials = Pending(2);

        var missing = Assert.Throws<ArgumentException>(() => SweepResults.Record("s", trials, Completed(trials[0], 0.02) with { Index = 7 }));
        var running = Assert.Throws<ArgumentException>(() => SweepResults.Record("s", trials, Completed(trials[1], 0.02) with { State = TrialState.Running }));

        Assert.Contains("Sweep 's' has no trial 7 (it has 2)", missing.Message, StringComparison.Ordinal);
        Assert.Contains("trial 1 delivered a result in state Running", running.Message, StringComparison.Ordinal);
        Assert.Empty(SweepResults.Delivered(trials));
    }

    [Fact]
    public void Cancelling_gives_every_unfinished_trial_a_cancelled_result_and_returns_the_started_ones()
    {
        var silo = SiloAt(1001);
        var trials = Pending(3);
        trials[0].On(TrialState.Running, silo);
        SweepResults.Record("s", trials, Completed(trials[1], 0.02));

        var started = SweepResults.CancelUnfinished(trials, DateTime.UtcNow);

        Assert.Same(trials[0], Assert.Single(started));
        Assert.Equal([TrialState.Cancelled, TrialState.Completed, TrialState.Cancelled], trials.Select(t => t.State));
        Assert.Equal(0.02, trials[1].Result!.TestError);
        Assert.All(new[] { trials[0], trials[2] }, t => Assert.Equal(("cancelled", "the sweep was cancelled"), (t.Result!.FailureReason, t.Result.FailureMessage)));
        Assert.All(new[] { trials[0], trials[2] }, t => Assert.Empty(t.Result!.FinalWidths));
    }
}
