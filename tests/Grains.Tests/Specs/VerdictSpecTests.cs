using Sweep.Grains.Abstractions.Specs;

namespace Sweep.Grains.Tests.Specs;

public sealed class VerdictSpecTests
{
    private static SweepSpecRules Rules => new() { CheckDatasetDirectory = false };

    private static string Spec(string verdicts, string grids = "method: { seed: [1, 2, 3], width: [1, 2] }") =>
        $"name: v\narchitecture: lenet300-100\ndataset: mnist\n{verdicts}\ngrids:\n  {grids.Replace("\n", "\n  ", StringComparison.Ordinal)}\n";

    [Fact]
    public void The_verdicts_section_sets_margins_confidence_minimum_trials_and_thresholds()
    {
        var check = SweepSpecParser.Parse(Spec("""
            verdicts:
              confidence: 0.9
              min-trials: 5
              width-margin: 0.05
              error-margin: 0.002
              max-test-error: 0.02
              max-undecided: 1
              max-failure-rate: 0.1
              min-width: 0.5
            """), Rules);

        Assert.Equal(new VerdictSpec
        {
            Confidence = 0.9, MinTrials = 5, WidthMargin = 0.05, ErrorMargin = 0.002, MaxTestError = 0.02,
            MaxUndecided = 1, MaxFailureRate = 0.1, MinWidth = 0.5,
        }, check.Spec.Verdicts);
        Assert.NotEqual(SweepSpecValidator.CanonicalText(check.Spec),
            SweepSpecValidator.CanonicalText(SweepSpecParser.Parse(Spec(""), Rules).Spec));
        Assert.Null(SweepSpecParser.Parse(Spec(""), Rules).Spec.Verdicts);
    }

    [Theory]
    [InlineData("verdicts: { confidence: 95 }", "verdicts.confidence: 95 must be between 0.5 and 0.999")]
    [InlineData("verdicts: { min-trials: 1 }", "verdicts.min-trials: 1 must be a whole number from 2 to 1000")]
    [InlineData("verdicts: { min-trials: 2.5 }", "verdicts.min-trials: '2.5' is not an integer")]
    [InlineData("verdicts: { width-margin: 0 }", "verdicts.width-margin: 0 must be a fraction of the mean final width above 0")]
    [InlineData("verdicts: { error-margin: -0.1 }", "verdicts.error-margin: -0.1 must be a test-error fraction between 0 and 1")]
    [InlineData("verdicts: { max-test-error: 1.8 }", "verdicts.max-test-error: 1.8 must be a test-error fraction between 0 and 1")]
    [InlineData("verdicts: { max-undecided: -1 }", "verdicts.max-undecided: -1 must be 0 or more")]
    [InlineData("verdicts: { max-failure-rate: 1 }", "verdicts.max-failure-rate: 1 must be a fraction from 0 to below 1")]
    [InlineData("verdicts: { min-width: 0 }", "verdicts.min-width: 0 must be a width multiplier above 0")]
    [InlineData("verdicts: { confidence: high }", "verdicts.confidence: 'high' is not a number")]
    [InlineData("verdicts: { margin: 0.1 }", "verdicts.margin: unknown key (known: confidence, min-trials")]
    [InlineData("verdicts: [0.95]", "verdicts: must be a map with keys confidence")]
    public void Invalid_verdict_settings_are_rejected_naming_the_key_and_line(string verdicts, string expected)
    {
        var check = SweepSpecParser.TryParse(Spec(verdicts), Rules);

        var error = Assert.Single(check.Errors);
        Assert.Contains(expected, error.ToString());
        Assert.Equal(4, error.Line);
        Assert.Empty(check.Trials);
    }

    [Fact]
    public void An_ablation_grid_that_does_not_match_the_method_grid_is_a_warning()
    {
        var check = SweepSpecParser.Parse(Spec("", """
            method: { seed: [1, 2, 3], width: [1, 2] }
            ablation: { seed: [1, 2], width: [1, 4], prior: ["fixed:0.5"] }
            """), Rules);

        Assert.True(check.IsValid);
        var warning = Assert.Single(check.Warnings);
        Assert.Equal("grids", warning.Path);
        Assert.Contains("the prior=fixed:0.5 ablation (grid 'ablation') does not match the method's grid", warning.Message);
        Assert.Contains("2 of its 4 trials have no flattening-prior twin (e.g. {seed=1, width=4})", warning.Message);
        Assert.Contains("4 of the 6 flattening-prior trials have no prior=fixed:0.5 twin", warning.Message);
    }

    [Fact]
    public void A_matched_ablation_or_none_gives_no_warning()
    {
        var matched = SweepSpecParser.Parse(Spec("", """
            method: { seed: [1, 2, 3], width: [1, 2] }
            ablation: { seed: [1, 2, 3], width: [1, 2], prior: ["fixed:0.5"] }
            """), Rules);

        Assert.Empty(matched.Warnings);
        Assert.Empty(SweepSpecParser.Parse(Spec(""), Rules).Warnings);
    }
}
