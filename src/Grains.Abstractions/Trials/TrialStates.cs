namespace Sweep.Grains.Abstractions.Trials;

public static class TrialStates
{
    public static bool IsTerminal(this TrialState state) => state is TrialState.Completed or TrialState.Failed or TrialState.Cancelled;
}
