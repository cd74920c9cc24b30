using Sweep.Tests.Shared;
using Sweep.Grains.Abstractions.Specs;
using Sweep.Grains.Abstractions.Sweeps;
using Sweep.Grains.Abstractions.Trials;

namespace Sweep.EndToEnd.Tests;

/// <summary>
/// Real silo processes, real training (tiny trials on generated IDX data), real Redis: a silo
/// killed with SIGKILL mid-trial, and an embedded silo killed and started again.
/// </summary>
public sealed class RealProcessTests(Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    private const int Epochs = 8;

    // Enough examples that an epoch takes a few hundred milliseconds even on an idle machine: the
    // tests kill a silo while a trial is between checkpoints, and must see that moment while polling.
    private const int TrainExamples = 6000;
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("sweep-e2e-");
    private readonly string _clusterId = "e2e-" + Guid.NewGuid().ToString("N")[..8];

    public void Dispose() => _work.Delete(recursive: true);

    private string Dataset() => IdxFiles.Write(Path.Combine(_work.FullName, "data"), train: TrainExamples, test: 100);

    private SweepSpec Spec(string name, int seeds) => SweepSpecParser.Parse($"""
        name: {name}
        architecture: lenet300-100
        dataset: {Dataset()}
        epochs: {Epochs}
        batch-size: 50
        options: {"{"} train-limit: {TrainExamples}, cost: 0.01, sigma1: 1 {"}"}
        grids:
          seeds: {"{"} seed: [{string.Join(", ", Enumerable.Range(1, seeds))}], width: [0.2] {"}"}
        """).Spec;

    private Dictionary<string, string> Environment(string mode) => new()
    {
        ["Sweep__Mode"] = mode,
        ["Sweep__ClusterId"] = _clusterId,
        ["Sweep__ServiceId"] = _clusterId,
        ["Sweep__TrialRunner__Slots"] = "1",
        ["Sweep__TrialRunner__ThreadsPerTrial"] = "1",
        ["Sweep__Coordinator__WatchdogPeriod"] = "00:00:01",
        ["Sweep__Coordinator__ReminderPeriod"] = "00:00:10",
        ["Orleans__ClusterMembership__ProbeTimeout"] = "00:00:01",
        ["Orleans__ClusterMembership__NumMissedProbesLimit"] = "2",
        ["Orleans__ClusterMembership__TableRefreshTimeout"] = "00:00:02",
        ["Orleans__ClusterMembership__IAmAliveTablePublishTimeout"] = "00:00:03",
    };

    [Fact]
    public async Task Cluster_sweep_completes_exactly_once_after_a_silo_is_killed_mid_trial()
    {
        await using var redis = await RedisServer.StartAsync();
        var environment = Environment("Cluster");
        environment["Sweep__Redis__ConnectionString"] = redis.ConnectionString;
        await using var first = await SiloProcess.StartAsync("first", environment);
        await using var second = await SiloProcess.StartAsync("second", environment);
        await using var client = await SweepClient.ConnectToRedisClusterAsync(redis.ConnectionString, _clusterId);
        string Logs() => $"--- first ---{System.Environment.NewLine}{first.Output}{System.Environment.NewLine}--- second ---{System.Environment.NewLine}{second.Output}";

        var id = SweepIds.New("e2e-cluster");
        var launched = await client.Cluster.GetGrain<ISweepGrain>(id).Launch(Spec("e2e-cluster", seeds: 4));
        Assert.Equal(4, launched.Counts.Total);

        // Wait for a trial on the second silo that has checkpointed at least one epoch and has more to go.
        await client.WaitAsync(id, s => s.Trials.Any(t =>
            t.Progress?.Silo?.StartsWith(second.EndpointPrefix, StringComparison.Ordinal) == true
            && t.Progress.CheckpointEpoch >= 1 && t.Progress.EpochsDone < Epochs - 1), TimeSpan.FromSeconds(120), Logs);
        await second.KillAsync();

        var finished = await client.WaitAsync(id, s => s.State != SweepState.Running, TimeSpan.FromSeconds(150), Logs);
        Assert.Equal(SweepState.Completed, finished.State);
        var results = await client.Cluster.GetGrain<ISweepGrain>(id).GetResults();
        Report(results);
        Assert.Equal([0, 1, 2, 3], results.Select(r => r.Index));
        Assert.All(results, r => Assert.True(r.State == TrialState.Completed, $"trial {r.Index}: {r.State} {r.FailureReason} {r.FailureMessage}"));
        Assert.All(results, r => Assert.Equal(Epochs, r.Epochs.Count > 0 ? r.Epochs[^1].Epoch : 0));
        var resumed = results.Where(r => r.ResumedFromEpochs.Any(e => e > 0)).ToArray();
        Assert.True(resumed.Length > 0, "no trial resumed from a checkpoint" + System.Environment.NewLine + Logs());
        Assert.All(resumed, r => Assert.Contains(r.Silos, s => s.StartsWith(first.EndpointPrefix, StringComparison.Ordinal)));
        Assert.Contains(finished.Trials, t => t.Restarts > 0);
    }

    [Fact]
    public async Task Embedded_sweep_continues_after_the_silo_is_killed_and_started_again()
    {
        var environment = Environment("Embedded");
        environment["Sweep__Embedded__StateDirectory"] = Path.Combine(_work.FullName, "state");
        var siloPort = FreePort.Next();
        var gatewayPort = FreePort.Next();
        var id = SweepIds.New("e2e-embedded");

        TrialResult firstResult;
        await using (var silo = await SiloProcess.StartAsync("embedded", environment, siloPort, gatewayPort))
        await using (var client = await SweepClient.ConnectToEmbeddedAsync(gatewayPort, _clusterId))
        {
            await client.Cluster.GetGrain<ISweepGrain>(id).Launch(Spec("e2e-embedded", seeds: 3));
            // One trial finished, the next one checkpointed and still training: kill.
            await client.WaitAsync(id, s => s.Counts.Completed >= 1 && s.Trials.Any(t => t.State == TrialState.Running && t.Progress?.CheckpointEpoch >= 1 && t.Progress.EpochsDone < Epochs - 1),
                TimeSpan.FromSeconds(120), () => silo.Output);
            firstResult = (await client.Cluster.GetGrain<ISweepGrain>(id).GetResults()).First(r => r.State == TrialState.Completed);
            await silo.KillAsync();
        }

        await using var restarted = await SiloProcess.StartAsync("embedded-again", environment, siloPort, gatewayPort);
        await using var again = await SweepClient.ConnectToEmbeddedAsync(gatewayPort, _clusterId);
        var finished = await again.WaitAsync(id, s => s.State != SweepState.Running, TimeSpan.FromSeconds(120), () => restarted.Output);

        Assert.Equal(SweepState.Completed, finished.State);
        var results = await again.Cluster.GetGrain<ISweepGrain>(id).GetResults();
        Report(results);
        Assert.Equal([0, 1, 2], results.Select(r => r.Index));
        Assert.All(results, r => Assert.Equal(TrialState.Completed, r.State));
        // The trial finished before the kill was not run again.
        Assert.Equal(firstResult, results[firstResult.Index], TrialResultComparer.Instance);
        Assert.Contains(results, r => r.ResumedFromEpochs.Any(e => e > 0));
    }

    private void Report(IEnumerable<TrialResult> results)
    {
        foreach (var r in results)
        {
            output.WriteLine($"trial {r.Index}: {r.State} widths {string.Join('-', r.FinalWidths)} error {r.TestError:P1} wall {r.WallSeconds:F1}s attempts {r.Attempts} resumed from [{string.Join(',', r.ResumedFromEpochs)}] silos {string.Join(' ', r.Silos)} {(r.FinishedAt - r.StartedAt).TotalSeconds:F1}s");
        }
    }

    private sealed class TrialResultComparer : IEqualityComparer<TrialResult>
    {
        public static TrialResultComparer Instance { get; } = new();

        public bool Equals(TrialResult? x, TrialResult? y) =>
            x is not null && y is not null && x.Index == y.Index && x.FinishedAt == y.FinishedAt && x.Attempts == y.Attempts && x.TestError == y.TestError;

        public int GetHashCode(TrialResult obj) => obj.Index;
    }
}
