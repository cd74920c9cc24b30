using Sweep.Grains.Abstractions.Specs;
using Sweep.Grains.Abstractions.Sweeps;
using Sweep.Grains.Abstractions.Trials;
using Sweep.Grains.Sweeps;
using Sweep.Grains.Tests.Cluster;

namespace Sweep.Grains.Tests.Sweeps;

public sealed class SweepLaunchTests
{
    private static readonly DateTime Now = new(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);
    private static readonly SweepLaunch Launch = new(new SweepCoordinatorOptions { CheckDatasetDirectory = false }, settingsCheck: null);

    [Fact]
    public void A_launch_expands_the_spec_into_pending_trials_and_the_same_spec_again_changes_nothing()
    {
        var state = new SweepGrainState();
        var spec = SweepTestCluster.Spec("expand", "{ seed: [1, 2, 3] }");

        Assert.True(Launch.Apply("expand-1", state, spec, Now));
        var trials = state.Trials.ToArray();
        Assert.False(Launch.Apply("expand-1", state, spec, Now.AddHours(1)));

        Assert.Equal((SweepState.Running, Now), (state.State, state.LaunchedAt));
        Assert.Equal([0, 1, 2], state.Trials.Select(t => t.Index));
        Assert.All(state.Trials, t => Assert.Equal(TrialState.Pending, t.State));
        Assert.Equal(["1", "2", "3"], state.Trials.Select(t => t.Spec.Setting("seed")));
        Assert.Equal(trials, state.Trials);
    }

    [Fact]
    public void A_different_spec_under_a_launched_id_is_refused_and_the_sweep_keeps_its_own()
    {
        var state = new SweepGrainState();
        Launch.Apply("other-1", state, SweepTestCluster.Spec("other", "{ seed: [1, 2] }"), Now);

        var error = Assert.Throws<SweepSpecException>(() => Launch.Apply("other-1", state, SweepTestCluster.Spec("other", "{ seed: [3] }"), Now));

        Assert.Contains("sweep 'other-1' was already launched", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, state.Trials.Count);
    }

    [Fact]
    public void A_bad_sweep_id_is_refused_before_anything_changes_and_undo_forgets_a_launch()
    {
        var state = new SweepGrainState();
        var spec = SweepTestCluster.Spec("ids", "{ seed: [1] }");

        var error = Assert.Throws<ArgumentException>(() => Launch.Apply("bad/id", state, spec, Now));
        Assert.Contains("Sweep 'bad/id' cannot be launched", error.Message, StringComparison.Ordinal);
        Assert.Null(state.Spec);

        Launch.Apply("ids-1", state, spec, Now);
        SweepLaunch.Undo(state);
        Assert.Equal((SweepState.NotLaunched, (SweepSpec?)null, 0), (state.State, state.Spec, state.Trials.Count));
        Assert.True(Launch.Apply("ids-1", state, spec, Now));
    }
}
