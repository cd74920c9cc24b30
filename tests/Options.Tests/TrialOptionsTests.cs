namespace Sweep.Options.Tests;

public class TrialOptionsTests
{
    [Fact]
    public void Settings_round_trip_gives_equal_options()
    {
        var options = new TrialOptions
        {
            Architecture = NetworkArchitecture.LeNet5Caffe, Width = 1.5, Init = WeightInit.Orthogonal, Seed = 7, Epochs = 3, BatchSize = 50,
            LearningRate = 2e-3, ThetaLearningRate = 1.5, ParameterCost = 0.02, FlopCost = 0.05, Estimator = GateEstimatorKind.Multilinear,
            Prior = Prior.Fixed(0.3), TrainLimit = 1000, Threads = 2, Optimizer = WeightOptimizerKind.Sgd, LearningRateSchedule = LearningRateSchedule.Step(0.5),
            Sigma1 = 0.5, InitialTheta = 0.9, PruneThreshold = 0.01, CompactEvery = 10, CostMultipliers = [1, 0.5, 2],
        };
        var settings = options.ToSettings();
        Assert.Equal("lenet5-caffe", settings["arch"]);
        Assert.Equal("1000", settings["train-limit"]);
        Assert.Equal("1,0.5,2", settings["cost-multipliers"]);
        var back = TrialOptions.FromSettings(settings);
        Assert.Equal(options, back);
        Assert.Equal(0.3, back.Prior.FixedPi);
    }

    [Fact]
    public void From_settings_keeps_defaults_for_missing_names()
    {
        var options = TrialOptions.FromSettings(new Dictionary<string, string> { ["seed"] = "3", ["width"] = "2" });
        Assert.Equal(3, options.Seed);
        Assert.Equal(2.0, options.Width);
        Assert.Equal("exact", options.Estimator.Name());
        Assert.Equal("flattening", options.Prior.ToString());
    }

    [Theory]
    [InlineData("arch", "resnet", "arch")]
    [InlineData("init", "zeros", "init")]
    [InlineData("estimator", "magic", "estimator")]
    [InlineData("width", "0", "width")]
    [InlineData("width", "-1", "width")]
    [InlineData("width", "abc", "width")]
    [InlineData("prior", "fixed:1.5", "prior")]
    [InlineData("prior", "fixed:0", "prior")]
    [InlineData("prior", "fixed:", "prior")]
    [InlineData("prior", "jeffreys", "prior")]
    [InlineData("epochs", "0", "epochs")]
    [InlineData("batch-size", "0", "batch-size")]
    [InlineData("lr", "-0.1", "lr")]
    [InlineData("cost", "-1", "cost")]
    [InlineData("optimizer", "rmsprop", "optimizer")]
    [InlineData("lr-schedule", "step:1.5", "lr-schedule")]
    [InlineData("theta0", "0", "theta0")]
    [InlineData("cost-multipliers", "1,2,3", "cost-multipliers")]
    [InlineData("train-limit", "0", "train-limit")]
    public void Invalid_values_are_rejected_naming_option_and_value(string name, string value, string expectedParam)
    {
        var error = Assert.Throws<ArgumentException>(() => TrialOptions.FromSettings(new Dictionary<string, string> { [name] = value }));
        Assert.Equal(expectedParam, error.ParamName);
        Assert.Contains(name, error.Message);
        Assert.Contains(value, error.Message);
    }

    [Fact]
    public void Input_gates_are_rejected_for_a_convolutional_architecture()
    {
        var error = Assert.Throws<ArgumentException>(() => TrialOptions.FromSettings(new Dictionary<string, string> { ["arch"] = "lenet5-caffe", ["input-gates"] = "true" }));
        Assert.Equal("input-gates", error.ParamName);
        Assert.True(TrialOptions.FromSettings(new Dictionary<string, string> { ["input-gates"] = "true" }).InputGates);
    }

    [Theory]
    [InlineData("100", "exact", "25")]
    [InlineData("100", "exact", "100")]
    public void Exact_examples_up_to_the_batch_size_are_accepted(string batch, string estimator, string examples)
    {
        var options = TrialOptions.FromSettings(new Dictionary<string, string> { ["batch-size"] = batch, ["estimator"] = estimator, ["exact-examples"] = examples });
        Assert.Equal(int.Parse(examples, System.Globalization.CultureInfo.InvariantCulture), options.ExactExamples);
        Assert.Equal(examples, options.ToSettings()["exact-examples"]);
    }

    [Theory]
    [InlineData("50", "exact", "51", "at most batch-size (50)")]
    [InlineData("100", "multilinear", "25", "exact estimator only")]
    public void Exact_examples_beyond_the_batch_or_without_the_exact_estimator_are_rejected(string batch, string estimator, string examples, string reason)
    {
        var parse = TrialOptions.Parse(new Dictionary<string, string> { ["batch-size"] = batch, ["estimator"] = estimator, ["exact-examples"] = examples });
        Assert.Null(parse.Options);
        var error = Assert.Single(parse.Errors);
        Assert.Equal("exact-examples", error.Option);
        Assert.Contains(reason, error.ToString());
    }

    [Fact]
    public void Exact_examples_at_its_default_is_left_out_of_the_settings_so_earlier_trials_keep_their_identity()
    {
        Assert.False(new TrialOptions().ToSettings().ContainsKey("exact-examples"));
        Assert.Equal(0, TrialOptions.FromSettings(new Dictionary<string, string>()).ExactExamples);
    }

    [Theory]
    [InlineData("multilinear")]
    [InlineData("reinforce")]
    public void Exact_max_groups_with_another_estimator_is_rejected(string estimator)
    {
        var parse = TrialOptions.Parse(new Dictionary<string, string> { ["estimator"] = estimator, ["exact-max-groups"] = "10" });
        Assert.Null(parse.Options);
        var error = Assert.Single(parse.Errors);
        Assert.Equal("exact-max-groups", error.Option);
        Assert.Contains("exact estimator only", error.ToString());
        Assert.Equal(10, TrialOptions.FromSettings(new Dictionary<string, string> { ["exact-max-groups"] = "10" }).ExactMaxGroups);
    }

    [Fact]
    public void Exact_examples_epochs_needs_exact_examples_and_is_left_out_at_its_default()
    {
        var parse = TrialOptions.Parse(new Dictionary<string, string> { ["exact-examples-epochs"] = "5" });
        Assert.Null(parse.Options);
        var error = Assert.Single(parse.Errors);
        Assert.Equal("exact-examples-epochs", error.Option);
        Assert.Contains("needs exact-examples", error.ToString());
        var options = TrialOptions.FromSettings(new Dictionary<string, string> { ["exact-examples"] = "25", ["exact-examples-epochs"] = "5" });
        Assert.Equal(5, options.ExactExamplesEpochs);
        Assert.Equal("5", options.ToSettings()["exact-examples-epochs"]);
        Assert.False(new TrialOptions().ToSettings().ContainsKey("exact-examples-epochs"));
    }

    [Fact]
    public void Unknown_setting_is_rejected_with_its_name()
    {
        var error = Assert.Throws<ArgumentException>(() => TrialOptions.FromSettings(new Dictionary<string, string> { ["colour"] = "red" }));
        Assert.Contains("colour", error.Message);
    }

    [Fact]
    public void Validate_rejects_options_built_in_code()
    {
        var error = Assert.Throws<ArgumentException>(() => new TrialOptions { Init = (WeightInit)99 }.Validate());
        Assert.Equal("init", error.ParamName);
        new TrialOptions().Validate();
    }
}
