namespace Sweep.Grains.Abstractions.Specs;

/// <summary>
/// The spec's optional `verdicts` section: how the claims are judged. Every key is optional; the
/// defaults are those of <see cref="Reports.VerdictCriteria"/>, and the accuracy threshold defaults
/// per known dataset and architecture (none for a dataset directory: the claim is then reported, not judged).
/// <code>
/// verdicts:
///   confidence: 0.95        # of every interval; alpha = 1 - confidence
///   min-trials: 3           # completed trials per compared level
///   width-margin: 0.10      # final width, +- this fraction of the layer's mean final width
///   error-margin: 0.003     # test error, +- this absolute fraction (0.3 points)
///   max-test-error: 0.018   # accurate: mean test error below this
///   max-undecided: 0        # deterministic: gates strictly between 0 and 1 a trial may end with
///   max-failure-rate: 0.05  # collapses and divergences the robustness claims tolerate
///   min-width: 1            # width-robust: starting widths at or above this multiplier
/// </code>
/// </summary>
[GenerateSerializer, Immutable]
public sealed record VerdictSpec
{
    public const string Section = "verdicts";

    [Id(0)] public double? Confidence { get; init; }
    [Id(1)] public int? MinTrials { get; init; }
    [Id(2)] public double? WidthMargin { get; init; }
    [Id(3)] public double? ErrorMargin { get; init; }
    [Id(4)] public double? MaxTestError { get; init; }
    [Id(5)] public int? MaxUndecided { get; init; }
    [Id(6)] public double? MaxFailureRate { get; init; }
    [Id(7)] public double? MinWidth { get; init; }

    /// <summary>The keys of the section, as written in a spec.</summary>
    public static IReadOnlyList<string> Keys { get; } =
        ["confidence", "min-trials", "width-margin", "error-margin", "max-test-error", "max-undecided", "max-failure-rate", "min-width"];
}
