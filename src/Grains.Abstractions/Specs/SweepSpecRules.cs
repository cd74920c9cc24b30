namespace Sweep.Grains.Abstractions.Specs;

/// <summary>What a spec is checked against, beyond its own consistency. Local (not serialized).</summary>
public sealed record SweepSpecRules
{
    /// <summary>
    /// Training images held out for validation when a sweep on a known dataset does not set `validation`:
    /// settings are chosen on validation error, test error is only reported. Directory datasets, whose
    /// size the client does not know, get no split unless the spec sets one.
    /// </summary>
    public const int DefaultValidation = 10_000;

    /// <summary>Largest number of trials a sweep may expand to.</summary>
    public int MaxTrials { get; init; } = 1000;

    /// <summary>Dataset names that need no directory (the silos fetch them).</summary>
    public IReadOnlyList<string> KnownDatasets { get; init; } = ["mnist"];

    /// <summary>Check that a dataset directory exists on this machine (off where the spec is only inspected).</summary>
    public bool CheckDatasetDirectory { get; init; } = true;

    /// <summary>
    /// Extra check of one trial's full settings, e.g. the trainer's own option validation where it is
    /// available (the silo uses it; the client may). Returns null when valid, else why not.
    /// </summary>
    public Func<IReadOnlyDictionary<string, string>, string?>? SettingsValidator { get; init; }

    public static SweepSpecRules Default { get; } = new();
}
