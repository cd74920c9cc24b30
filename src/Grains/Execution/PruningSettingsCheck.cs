using Sweep.Pruning.Training;

namespace Sweep.Grains.Execution;

/// <summary>The trainer's own option validation (TrainingOptions.FromSettings), run by the coordinator on every trial before launch.</summary>
public sealed class PruningSettingsCheck : ITrialSettingsCheck
{
    public string? Check(IReadOnlyDictionary<string, string> settings)
    {
        try
        {
            TrainingOptions.FromSettings(settings);
            return null;
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }
    }
}
