using Sweep.Grains.Abstractions.Specs;
using Sweep.Grains.Abstractions.Sweeps;
using Sweep.Grains.Abstractions.Trials;
using Sweep.Grains.Execution;

namespace Sweep.Grains.Sweeps;

/// <summary>
/// Launching a sweep: checks its id and spec (the coordinator's rules, the trainer's own check of every trial) and
/// expands the spec into the sweep's state, one pending record per trial. A relaunch with the same spec is a no-op;
/// one with a different spec is refused.
/// </summary>
public sealed class SweepLaunch(SweepCoordinatorOptions options, ITrialSettingsCheck? settingsCheck)
{
    /// <summary>
    /// Fills <paramref name="state"/> with the checked, expanded spec; false when the sweep already runs this spec.
    /// Throws <see cref="ArgumentException"/> for a bad id and <see cref="SweepSpecException"/> for a bad spec or
    /// a different one under an id already launched; <paramref name="state"/> is then unchanged.
    /// </summary>
    public bool Apply(string sweepId, SweepGrainState state, SweepSpec spec, DateTime now)
    {
        if (SweepIds.Check(sweepId) is { } badId)
        {
            throw new ArgumentException($"Sweep '{sweepId}' cannot be launched: {badId}.", nameof(spec));
        }
        var check = SweepSpecValidator.Check(spec, Rules());
        if (state.Spec is not null)
        {
            if (state.CanonicalSpec == SweepSpecValidator.CanonicalText(check.Spec))
            {
                return false;
            }
            throw new SweepSpecException($"sweep '{sweepId}' was already launched ({state.LaunchedAt:u}) with a different spec; launch under a new id");
        }
        var trials = check.ThrowIfInvalid();

        // Everything is checked: from here the sweep exists.
        state.Spec = check.Spec;
        state.CanonicalSpec = SweepSpecValidator.CanonicalText(check.Spec);
        state.State = SweepState.Running;
        state.LaunchedAt = now;
        state.Trials = trials.Select(t => new TrialRecord { Spec = t, State = TrialState.Pending }).ToList();
        return true;
    }

    /// <summary>Back to a sweep never launched (its state could not be persisted).</summary>
    public static void Undo(SweepGrainState state)
    {
        state.Spec = null;
        state.CanonicalSpec = null;
        state.State = SweepState.NotLaunched;
        state.LaunchedAt = null;
        state.Trials = [];
    }

    private SweepSpecRules Rules() => new()
    {
        MaxTrials = options.MaxTrials,
        KnownDatasets = options.KnownDatasets.ToArray(),
        CheckDatasetDirectory = options.CheckDatasetDirectory,
        SettingsValidator = settingsCheck is null ? null : settingsCheck.Check,
    };
}
