using Orleans.TestingHost;

namespace Sweep.Grains.Tests.Cluster;

/// <summary>One two-silo cluster shared by the tests that do not kill silos.</summary>
public sealed class SweepClusterFixture : IAsyncLifetime
{
    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IClusterClient Client => Cluster.Client;

    public async Task InitializeAsync() => Cluster = await SweepTestCluster.StartAsync(silos: 2, slotsPerSilo: 2);

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class SweepClusterCollection : ICollectionFixture<SweepClusterFixture>
{
    public const string Name = "sweep cluster";
}
