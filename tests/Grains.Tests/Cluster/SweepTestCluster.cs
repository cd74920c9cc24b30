using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.TestingHost;
using Sweep.Grains.Abstractions.Specs;
using Sweep.Grains.Abstractions.Sweeps;
using Sweep.Grains.Execution;
using Sweep.Grains.Hosting;

namespace Sweep.Grains.Tests.Cluster;

/// <summary>An in-process cluster of silos with the sweep grains, in-memory storage and the test executor.</summary>
public static class SweepTestCluster
{
    public static async Task<InProcessTestCluster> StartAsync(int silos, int slotsPerSilo = 1, string? durableStateDirectory = null)
    {
        var builder = new InProcessTestClusterBuilder((short)silos);
        builder.ConfigureSiloHost((_, host) => host.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Sweep:TrialRunner:Slots"] = slotsPerSilo.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Sweep:TrialRunner:RetryDelay"] = "00:00:00.050",
            ["Sweep:TrialRunner:ShutdownGrace"] = "00:00:05",
            ["Sweep:Coordinator:WatchdogPeriod"] = "00:00:00.300",
            ["Sweep:Coordinator:CheckDatasetDirectory"] = "false",
        }));
        builder.ConfigureSilo((_, silo) =>
        {
            if (durableStateDirectory is null)
            {
                silo.AddMemoryGrainStorage(SweepStorage.Name);
                silo.UseInMemoryReminderService();
            }
            else
            {
                // The embedded silo's SQLite state, shared by the in-process silos: it survives a killed silo.
                Sweep.Silo.Hosting.SweepSiloConfiguration.AddEmbeddedState(silo, durableStateDirectory);
            }
            silo.AddSweep();
            silo.Services.AddSingleton<ITrialExecutor, TestTrialExecutor>();
            silo.AddIncomingGrainCallFilter<LostStartCalls>();
            silo.Services.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(1);
                o.NumMissedProbesLimit = 2;
                o.TableRefreshTimeout = TimeSpan.FromSeconds(1);
            });
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    public static SweepSpec Spec(string name, string grid, int epochs = 3) =>
        SweepSpecParser.Parse($"name: {name}\narchitecture: lenet300-100\ndataset: mnist\nepochs: {epochs}\ngrids:\n  g: {grid}\n",
            new SweepSpecRules { CheckDatasetDirectory = false }).Spec;

    public static async Task<SweepStatus> WaitUntilFinishedAsync(ISweepGrain sweep, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var status = await sweep.GetStatus();
            if (status.State is SweepState.Completed or SweepState.Cancelled)
            {
                return status;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"sweep not finished after {timeout}: {status.Counts}");
            }
            await Task.Delay(100);
        }
    }
}
