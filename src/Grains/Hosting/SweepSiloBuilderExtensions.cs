using Orleans.Runtime.MembershipService.SiloMetadata;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Configuration;
using Orleans.Storage;
using Sweep.Grains.Events;
using Sweep.Grains.Execution;
using Sweep.Grains.Sweeps;
using Sweep.Grains.Trials;

namespace Sweep.Grains.Hosting;

/// <summary>Adds the sweep grains' services to a silo; the host adds storage and reminder providers (see <see cref="SweepStorage"/>).</summary>
public static class SweepSiloBuilderExtensions
{
    /// <summary>
    /// The trial runner (its slots published in the silo metadata for the coordinators' placement),
    /// the coordinator's options, binary grain-state serialization, and the default (empty) telemetry.
    /// Options come from "Sweep:TrialRunner" and "Sweep:Coordinator" of the silo's configuration.
    /// Trials train with src/Pruning (<see cref="PruningTrialExecutor"/>) unless another
    /// <see cref="ITrialExecutor"/> is registered.
    /// </summary>
    public static ISiloBuilder AddSweep(this ISiloBuilder silo)
    {
        var configuration = silo.Configuration;
        var services = silo.Services;
        services.AddOptions<TrialRunnerOptions>().Bind(configuration.GetSection(TrialRunnerOptions.Section));
        services.AddOptions<SweepCoordinatorOptions>().Bind(configuration.GetSection(SweepCoordinatorOptions.Section));

        var runner = configuration.GetSection(TrialRunnerOptions.Section).Get<TrialRunnerOptions>() ?? new TrialRunnerOptions();
        var coordinator = configuration.GetSection(SweepCoordinatorOptions.Section).Get<SweepCoordinatorOptions>() ?? new SweepCoordinatorOptions();
        silo.UseSiloMetadata(new Dictionary<string, string>
        {
            [ClusterCapacity.SlotsMetadataKey] = runner.EffectiveSlots.ToString(CultureInfo.InvariantCulture),
        });
        services.Configure<ReminderOptions>(o =>
        {
            if (coordinator.ReminderPeriod < o.MinimumReminderPeriod)
            {
                o.MinimumReminderPeriod = coordinator.ReminderPeriod;
            }
        });

        // Grain state in Orleans' version-tolerant binary format: the records carry [Id]s, not JSON shapes.
        services.AddSingleton<IGrainStorageSerializer, OrleansGrainStorageSerializer>();

        services.TryAddSingleton<ISweepEvents, NoSweepEvents>();
        services.TryAddSingleton<ITrialExecutor, PruningTrialExecutor>();
        services.TryAddSingleton<ITrialSettingsCheck, PruningSettingsCheck>();
        services.AddSingleton<TrialRunner>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<TrialRunner>());
        services.AddSingleton<ClusterCapacity>();
        // A silo restarted by hand resumes interrupted sweeps now, not when their reminder fires.
        silo.AddStartupTask<InterruptedSweepsResumer>();
        return silo;
    }
}
