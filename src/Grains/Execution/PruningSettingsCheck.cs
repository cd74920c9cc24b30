using Sweep.Options;

namespace Sweep.Grains.Execution;

/// <summary>The coordinator's check of every trial before launch: the option schema's own parse (<see cref="TrialOptions.Parse"/>), the same the trainer's options come from.</summary>
public sealed class PruningSettingsCheck : ITrialSettingsCheck
{
    public string? Check(IReadOnlyDictionary<string, string> settings) =>
        TrialOptions.Parse(settings) is { Succeeded: false } parse ? string.Join(" ", parse.Errors) : null;
}
