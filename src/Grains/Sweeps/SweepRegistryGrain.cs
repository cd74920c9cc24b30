using Sweep.Grains.Abstractions.Sweeps;

namespace Sweep.Grains.Sweeps;

/// <summary>The list of sweeps (`sweep list`), kept by the coordinators.</summary>
public sealed class SweepRegistryGrain(
    [PersistentState("registry", SweepStorage.Name)] IPersistentState<SweepRegistryState> state) : Grain, ISweepRegistryGrain
{
    public Task<IReadOnlyList<SweepSummary>> List() =>
        Task.FromResult<IReadOnlyList<SweepSummary>>(state.State.Sweeps.Values.OrderByDescending(s => s.LaunchedAt).ToArray());

    public async Task Record(SweepSummary summary)
    {
        state.State.Sweeps[summary.SweepId] = summary;
        await state.WriteStateAsync();
    }
}
