using Sweep.Grains.Abstractions.Trials;
using Sweep.Options;

namespace Sweep.Grains.Execution;

/// <summary>What a trial executor trains: the trial's dataset and settings, with the silo's threads per trial.</summary>
public sealed record TrialWork(TrialKey Key, string Dataset, IReadOnlyDictionary<string, string> Settings)
{
    public string Architecture => Settings.GetValueOrDefault(TrialOptionSchema.Architecture.Name, "");

    /// <summary>The epochs the trainer runs: the schema reads them, its default where the settings leave them out.</summary>
    public int Epochs => TrialOptionSchema.Epochs.Read(Settings);

    public int BatchSize => TrialOptionSchema.BatchSize.Read(Settings);
}
