using Sweep.Grains.Abstractions.Reports;
using Sweep.Grains.Abstractions.Specs;

namespace Sweep.Analysis;

/// <summary>
/// The criteria of a sweep's verdicts: the spec's `verdicts` section over the defaults. The accuracy
/// threshold is the spec's, else the reference result of docs/ALGORITHM.md for a known dataset and
/// architecture, else none (a dataset directory may hold anything: the claim is reported, not judged).
/// </summary>
public static class VerdictDefaults
{
    /// <summary>Reference test errors per known dataset and architecture.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> MaxTestErrors { get; } =
        new Dictionary<string, IReadOnlyDictionary<string, double>>(StringComparer.OrdinalIgnoreCase)
        {
            ["mnist"] = new Dictionary<string, double>(StringComparer.Ordinal) { ["lenet300-100"] = 0.018, ["lenet5-caffe"] = 0.010 },
        };

    public static VerdictCriteria Criteria(SweepSpec? spec)
    {
        var defaults = new VerdictCriteria();
        var v = spec?.Verdicts ?? new VerdictSpec();
        return new VerdictCriteria
        {
            Confidence = v.Confidence ?? defaults.Confidence,
            MinTrials = v.MinTrials ?? defaults.MinTrials,
            WidthMargin = v.WidthMargin ?? defaults.WidthMargin,
            ErrorMargin = v.ErrorMargin ?? defaults.ErrorMargin,
            MaxUndecided = v.MaxUndecided ?? defaults.MaxUndecided,
            MaxTestError = v.MaxTestError,
            MaxTestErrorSource = v.MaxTestError is not null ? "set by the spec (verdicts.max-test-error)"
                : spec is null ? "no spec: no accuracy threshold"
                : MaxTestErrors.TryGetValue(spec.Dataset, out var known)
                    ? $"defaults for {spec.Dataset.ToLowerInvariant()}: " + string.Join(", ", known.Select(k => $"{k.Key} {Format.Percent(k.Value, 2)}"))
                    : $"dataset '{spec.Dataset}' is not a known dataset: no accuracy threshold unless verdicts.max-test-error sets one",
            MaxFailureRate = v.MaxFailureRate ?? defaults.MaxFailureRate,
            MinWidth = v.MinWidth ?? defaults.MinWidth,
        };
    }

    /// <summary>The accuracy threshold for a group's architecture, and where it came from (or why there is none).</summary>
    public static (double? Threshold, string Source) MaxTestError(SweepSpec? spec, VerdictCriteria criteria, string architecture)
    {
        if (criteria.MaxTestError is { } set)
        {
            return (set, "verdicts.max-test-error");
        }
        if (spec is not null && MaxTestErrors.TryGetValue(spec.Dataset, out var known))
        {
            return known.TryGetValue(architecture, out var reference)
                ? (reference, $"reference for {architecture} on {spec.Dataset.ToLowerInvariant()}")
                : (null, $"no reference test error for {architecture} on {spec.Dataset.ToLowerInvariant()} (set verdicts.max-test-error)");
        }
        return (null, criteria.MaxTestErrorSource);
    }
}
