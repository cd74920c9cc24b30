using Sweep.Grains.Abstractions.Specs;

namespace Sweep.Grains.Tests.Specs;

public sealed class SweepSpecParserTests
{
    private const string Valid = """
        name: lenet-robustness
        architecture: lenet300-100
        dataset: mnist
        epochs: 2
        batch-size: 100
        options:
          cost: 0.03
          train-limit: 500
        grids:
          init-study:
            seed: [1, 2]
            init: [kaiming-uniform, orthogonal]
          width-study:
            seed: [1, 2]
            width: [0.5, 2]
          ablation:
            seed: [1]
            prior: ["fixed:0.50"]
        """;

    private static SweepSpecRules Rules => new() { CheckDatasetDirectory = false };

    [Fact]
    public void Sweep_is_the_union_of_the_grids_cartesian_products()
    {
        var check = SweepSpecParser.Parse(Valid, Rules);

        Assert.Equal(4 + 4 + 1, check.Trials.Count);
        Assert.Equal(Enumerable.Range(0, 9), check.Trials.Select(t => t.Index));
        var first = check.Trials[0];
        Assert.Equal("init-study", first.Grid);
        Assert.Equal("mnist", first.Dataset);
        Assert.Equal("lenet300-100", first.Settings["arch"]);
        Assert.Equal("2", first.Settings["epochs"]);
        Assert.Equal("0.03", first.Settings["cost"]);
        Assert.Equal("1", first.Settings["seed"]);
        Assert.Equal("kaiming-uniform", first.Settings["init"]);
        // The last factor varies fastest.
        Assert.Equal("orthogonal", check.Trials[1].Settings["init"]);
        Assert.Equal("2", check.Trials[2].Settings["seed"]);
        Assert.Equal("0.5", check.Trials[4].Settings["width"]);
        Assert.Equal("fixed:0.5", check.Trials[8].Settings["prior"]);
    }

    [Fact]
    public void Sweeps_on_a_known_dataset_hold_out_a_validation_split_by_default()
    {
        var check = SweepSpecParser.Parse(Valid, Rules);
        Assert.All(check.Trials, t => Assert.Equal("10000", t.Settings["validation"]));

        var chosen = SweepSpecParser.Parse(Valid.Replace("  train-limit: 500", "  train-limit: 500\n  validation: 0", StringComparison.Ordinal), Rules);
        Assert.All(chosen.Trials, t => Assert.Equal("0", t.Settings["validation"]));

        var directory = SweepSpecParser.Parse(Valid.Replace("dataset: mnist", "dataset: /data/digits", StringComparison.Ordinal), Rules);
        Assert.All(directory.Trials, t => Assert.False(t.Settings.ContainsKey("validation")));
    }

    [Fact]
    public void Json_specs_and_grid_lists_are_accepted()
    {
        const string json = """
            { "name": "j", "architecture": "lenet5-caffe", "dataset": "MNIST",
              "grids": [ { "name": "g", "seed": [3, 4] }, { "width": [1.0] } ] }
            """;
        var check = SweepSpecParser.Parse(json, Rules);

        Assert.Equal(3, check.Trials.Count);
        Assert.Equal(["g", "g", "grid-2"], check.Trials.Select(t => t.Grid));
        Assert.Equal("1", check.Trials[2].Settings["width"]);
        Assert.Equal("mnist", check.Spec.Dataset);
    }

    [Theory]
    [InlineData("colour: red\n", "colour: unknown key")]
    [InlineData("grids: {}\n", "grids: at least one grid is required")]
    [InlineData("grids: { a: { seed: [] } }\n", "grids[0].seed: the list of seed values is empty")]
    [InlineData("grids: { a: { init: [kaiming] } }\n", "grids[0].init[0]: unknown init 'kaiming'")]
    [InlineData("grids: { a: { width: [0] } }\n", "grids[0].width[0]: 0 is out of range: must be > 0")]
    [InlineData("grids: { a: { seed: [1, 1] } }\n", "grids[0].seed[1]: seed value '1' is listed twice")]
    [InlineData("grids: { a: { lr-theta: [x] } }\n", "grids[0].lr-theta[0]: 'x' is not a number")]
    [InlineData("grids: { a: { colour: [1] } }\n", "grids[0].colour: unknown option 'colour'")]
    [InlineData("grids: { a: { threads: [2] } }\n", "grids[0].threads: threads per trial is a property of the silo")]
    [InlineData("grids: { a: { prior: [fixed:2] } }\n", "grids[0].prior[0]: 'fixed:2' is not a prior")]
    [InlineData("grids: { a: { seed: [1] }, b: { seed: [1] } }\n", "duplicate trial: {seed=1} was already produced by grid 'a'")]
    public void Invalid_specs_are_rejected_naming_key_and_value(string grids, string expected)
    {
        var text = "name: bad\narchitecture: lenet300-100\ndataset: mnist\n" + grids;
        if (!grids.StartsWith("grids", StringComparison.Ordinal))
        {
            text += "grids: { a: { seed: [1] } }\n";
        }

        var error = Assert.Throws<SweepSpecException>(() => SweepSpecParser.Parse(text, Rules));

        Assert.Contains(error.Errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Errors_carry_the_line_of_the_key()
    {
        var text = "name: bad\narchitecture: lenet300-100\ndataset: mnist\ngrids:\n  a:\n    init: [nope]\n";

        var check = SweepSpecParser.TryParse(text, Rules);

        var error = Assert.Single(check.Errors);
        Assert.Equal(6, error.Line);
        Assert.StartsWith("line 6: grids[0].init[0]: unknown init 'nope'", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_architecture_missing_keys_and_bad_yaml_are_reported()
    {
        var check = SweepSpecParser.TryParse("name: x\narchitecture: resnet\ngrids: { a: { seed: [1] } }\n", Rules);
        Assert.Contains(check.Errors, e => e.Path == "architecture" && e.Message.Contains("unknown arch 'resnet'", StringComparison.Ordinal));
        Assert.Contains(check.Errors, e => e.Path == "dataset" && e.Message.StartsWith("is required", StringComparison.Ordinal));

        var yaml = SweepSpecParser.TryParse("name: [unclosed\n", Rules);
        Assert.Contains("not valid YAML", Assert.Single(yaml.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void More_trials_than_the_limit_are_rejected()
    {
        var text = "name: big\narchitecture: lenet300-100\ndataset: mnist\ngrids: { a: { seed: [1, 2, 3], width: [1, 2, 3] } }\n";

        var error = Assert.Throws<SweepSpecException>(() => SweepSpecParser.Parse(text, Rules with { MaxTrials = 8 }));

        Assert.Contains("the grids expand to 9 trials, more than the limit of 8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_dataset_directory_is_rejected_and_a_relative_one_resolves_against_the_spec_folder()
    {
        var folder = Directory.CreateTempSubdirectory("sweep-spec-");
        try
        {
            Directory.CreateDirectory(Path.Combine(folder.FullName, "data"));
            var text = "name: d\narchitecture: lenet300-100\ndataset: data\ngrids: { a: { seed: [1] } }\n";

            var check = SweepSpecParser.Parse(text, SweepSpecRules.Default, folder.FullName);
            Assert.Equal(Path.Combine(folder.FullName, "data"), check.Trials[0].Dataset);

            var missing = Assert.Throws<SweepSpecException>(() => SweepSpecParser.Parse(text.Replace("data\n", "nowhere\n", StringComparison.Ordinal), SweepSpecRules.Default, folder.FullName));
            Assert.Contains("dataset: 'nowhere' is neither a known dataset (mnist) nor an existing directory", missing.Message, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void The_settings_validator_hook_checks_every_trial()
    {
        var rules = Rules with { SettingsValidator = s => s["seed"] == "2" ? "seed 2 is cursed" : null };

        var error = Assert.Throws<SweepSpecException>(() => SweepSpecParser.Parse(Valid, rules));

        Assert.Contains(error.Errors, e => e.Contains("seed 2 is cursed", StringComparison.Ordinal));
    }

    [Fact]
    public void Canonical_text_ignores_spelling_of_equal_values()
    {
        var a = SweepSpecParser.Parse(Valid, Rules).Spec;
        var b = SweepSpecParser.Parse(Valid.Replace("[0.5, 2]", "[0.50, 2.0]", StringComparison.Ordinal), Rules).Spec;

        Assert.Equal(SweepSpecValidator.CanonicalText(a), SweepSpecValidator.CanonicalText(b));
    }

    [Fact]
    public void Skipped_trials_are_left_out_of_the_expansion_and_the_rest_renumbered()
    {
        var whole = SweepSpecParser.Parse(Valid, Rules);
        var skip = new[] { whole.Trials[0], whole.Trials[5] };

        var check = SweepSpecValidator.Check(whole.Spec with { Skip = skip.Select(t => t.Settings).ToArray() }, Rules);

        Assert.True(check.IsValid, string.Join("; ", check.Errors));
        Assert.Equal(whole.Trials.Where(t => t.Index is not (0 or 5)).Select(t => (t.Grid, t.Describe())), check.Trials.Select(t => (t.Grid, t.Describe())));
        Assert.Equal(Enumerable.Range(0, 7), check.Trials.Select(t => t.Index));
        // A sweep that skips trials is a different sweep under the same id; one that skips none is unchanged.
        Assert.NotEqual(SweepSpecValidator.CanonicalText(whole.Spec), SweepSpecValidator.CanonicalText(check.Spec));
        Assert.Equal(SweepSpecValidator.CanonicalText(whole.Spec), SweepSpecValidator.CanonicalText(whole.Spec with { Skip = [] }));
    }

    [Fact]
    public void A_skipped_trial_that_no_grid_produces_is_an_error()
    {
        var whole = SweepSpecParser.Parse(Valid, Rules);
        var stranger = new Dictionary<string, string>(whole.Trials[0].Settings, StringComparer.Ordinal) { ["seed"] = "99" };

        var check = SweepSpecValidator.Check(whole.Spec with { Skip = [stranger] }, Rules);

        var error = Assert.Single(check.Errors);
        Assert.Equal("skip[0]", error.Path);
        Assert.Contains("seed=99", error.Message, StringComparison.Ordinal);
    }
}
