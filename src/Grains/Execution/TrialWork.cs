using Sweep.Grains.Abstractions.Trials;

namespace Sweep.Grains.Execution;

/// <summary>What a trial executor trains: the trial's dataset and settings, with the silo's threads per trial.</summary>
public sealed record TrialWork(TrialKey Key, string Dataset, IReadOnlyDictionary<string, string> Settings)
{
    public string Architecture => Settings.TryGetValue("arch", out var arch) ? arch : "";

    public int Epochs => Settings.TryGetValue("epochs", out var text) && int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var epochs)
        ? epochs
        : Abstractions.Specs.TrialOptionCatalog.DefaultEpochs;

    public int BatchSize => Settings.TryGetValue("batch-size", out var text) && int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var size)
        ? size
        : 100;
}
