using Sweep.Grains.Abstractions.Specs;
using Sweep.Grains.Abstractions.Trials;

namespace Sweep.Client.Bundles;

/// <summary>
/// `launch SPEC --only-missing BUNDLE ...`: the spec with every trial that completed in the bundles
/// put on its skip list, so that the coordinator's own expansion (<see cref="SweepSpecValidator"/>)
/// launches only the rest. Failed and cancelled trials count as missing and run again.
/// </summary>
public sealed record MissingTrials(SweepSpec Spec, int DesignTrials, int Skipped, int Unknown)
{
    /// <param name="check">The checked spec to launch (its trials are the whole design).</param>
    /// <param name="specSource">The spec file, for messages.</param>
    public static MissingTrials Plan(SpecCheck check, string specSource, IReadOnlyList<ResultsBundle> bundles)
    {
        foreach (var bundle in bundles)
        {
            if (SpecMerger.BaseDifferences(check.Spec, specSource, bundle.Export.Spec!, bundle.Path) is { Count: > 0 } differences)
            {
                throw new BundleException($"{bundle.Path} belongs to another spec than {specSource}:\n  - {string.Join("\n  - ", differences)}");
            }
        }
        var completed = bundles.SelectMany(b => b.Export.Results)
            .Where(r => r.State == TrialState.Completed)
            .Select(r => TrialSpec.Describe(r.Settings))
            .ToHashSet(StringComparer.Ordinal);
        var skip = check.Trials.Where(t => completed.Contains(t.Describe())).ToArray();
        var spec = check.Spec with { Skip = skip.Select(t => t.Settings).ToArray() };
        return new MissingTrials(spec, check.Trials.Count, skip.Length, completed.Count - skip.Length);
    }

    public int ToLaunch => DesignTrials - Skipped;
}
