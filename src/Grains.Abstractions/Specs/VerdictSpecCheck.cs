using System.Globalization;

namespace Sweep.Grains.Abstractions.Specs;

/// <summary>The ranges of a spec's verdict criteria: each error names the key and says what the number means.</summary>
internal static class VerdictSpecCheck
{
    public static void Check(List<SpecError> errors, VerdictSpec? verdicts)
    {
        if (verdicts is null)
        {
            return;
        }
        const string s = VerdictSpec.Section;
        if (verdicts.Confidence is { } confidence && confidence is not (>= 0.5 and <= 0.999))
        {
            errors.Add(new($"{s}.confidence", $"{Text(confidence)} must be between 0.5 and 0.999 (0.95 for 95% intervals)"));
        }
        if (verdicts.MinTrials is { } minTrials && minTrials is < 2 or > 1000)
        {
            errors.Add(new($"{s}.min-trials", $"{minTrials} must be a whole number from 2 to 1000 (an interval needs two trials per level)"));
        }
        if (verdicts.WidthMargin is { } widthMargin && widthMargin is not (> 0 and <= 1))
        {
            errors.Add(new($"{s}.width-margin", $"{Text(widthMargin)} must be a fraction of the mean final width above 0 and at most 1 (0.10 for +-10%)"));
        }
        if (verdicts.ErrorMargin is { } errorMargin && errorMargin is not (> 0 and < 1))
        {
            errors.Add(new($"{s}.error-margin", $"{Text(errorMargin)} must be a test-error fraction between 0 and 1 (0.003 for +-0.3 points)"));
        }
        if (verdicts.MaxTestError is { } maxError && maxError is not (> 0 and < 1))
        {
            errors.Add(new($"{s}.max-test-error", $"{Text(maxError)} must be a test-error fraction between 0 and 1 (0.018 for 1.8%)"));
        }
        if (verdicts.MaxUndecided is < 0)
        {
            errors.Add(new($"{s}.max-undecided", $"{verdicts.MaxUndecided} must be 0 or more"));
        }
        if (verdicts.MaxFailureRate is { } rate && rate is not (>= 0 and < 1))
        {
            errors.Add(new($"{s}.max-failure-rate", $"{Text(rate)} must be a fraction from 0 to below 1 (0.05 for 5%)"));
        }
        if (verdicts.MinWidth is { } minWidth && minWidth is not > 0)
        {
            errors.Add(new($"{s}.min-width", $"{Text(minWidth)} must be a width multiplier above 0"));
        }
    }

    private static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
