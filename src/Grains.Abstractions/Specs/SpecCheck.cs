using Sweep.Grains.Abstractions.Trials;

namespace Sweep.Grains.Abstractions.Specs;

/// <summary>The outcome of checking a spec: the normalized spec, its trials, and every problem found.</summary>
public sealed record SpecCheck(SweepSpec Spec, IReadOnlyList<TrialSpec> Trials, IReadOnlyList<SpecError> Errors)
{
    public bool IsValid => Errors.Count == 0;

    /// <summary>Problems that do not stop a launch but weaken its verdicts (e.g. an ablation grid that does not match the method's).</summary>
    public IReadOnlyList<SpecError> Warnings { get; init; } = Array.Empty<SpecError>();

    /// <summary>The trials, or a <see cref="SweepSpecException"/> listing every problem.</summary>
    public IReadOnlyList<TrialSpec> ThrowIfInvalid() =>
        IsValid ? Trials : throw new SweepSpecException(Errors.Select(e => e.ToString()).ToArray());
}
