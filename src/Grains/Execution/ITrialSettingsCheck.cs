namespace Sweep.Grains.Execution;

/// <summary>The trainer's own check of one trial's settings, run by the coordinator before a sweep is persisted.</summary>
public interface ITrialSettingsCheck
{
    /// <summary>Null when the settings are valid, else a message naming the option and the value.</summary>
    string? Check(IReadOnlyDictionary<string, string> settings);
}
