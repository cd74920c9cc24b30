using Orleans.TestingHost;
using Sweep.Grains.Abstractions.Sweeps;

namespace Sweep.Grains.Tests.Cluster;

/// <summary>
/// A sweep of the test executor launched on two in-process silos that share durable state, and the silo that
/// does not host its coordinator: the one the silo-loss tests kill or stop, so that the coordinator survives.
/// </summary>
internal sealed class TwoSiloSweep : IAsyncDisposable
{
    private TwoSiloSweep(InProcessTestCluster cluster, string id, ISweepGrain sweep, TrialScript script, InProcessSiloHandle otherSilo)
    {
        (Cluster, Id, Sweep, Script, OtherSilo) = (cluster, id, sweep, script, otherSilo);
    }

    public InProcessTestCluster Cluster { get; }
    public string Id { get; }
    public ISweepGrain Sweep { get; }
    public TrialScript Script { get; }

    /// <summary>The silo without the coordinator.</summary>
    public InProcessSiloHandle OtherSilo { get; }

    /// <summary>How trial progress names <see cref="OtherSilo"/>.</summary>
    public string OtherSiloAddress => OtherSilo.SiloAddress.ToParsableString();

    public static async Task<TwoSiloSweep> LaunchAsync(string name, string grid, int epochs, TimeSpan epochDuration)
    {
        var state = Directory.CreateTempSubdirectory($"sweep-{name}-");
        var cluster = await SweepTestCluster.StartAsync(silos: 2, slotsPerSilo: 1, durableStateDirectory: state.FullName);
        try
        {
            var id = SweepIds.New(name);
            var script = new TrialScript { EpochDuration = epochDuration };
            TestTrialExecutor.Scripts[id] = script;
            var sweep = cluster.Client.GetGrain<ISweepGrain>(id);
            await sweep.Launch(SweepTestCluster.Spec(name, grid, epochs));
            Assert.True(cluster.TryGetGrainContext(sweep.GetGrainId(), out var coordinator));
            var other = cluster.Silos.First(s => !s.SiloAddress.Equals(coordinator.Address.SiloAddress));
            return new TwoSiloSweep(cluster, id, sweep, script, other);
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => Cluster.DisposeAsync();
}
