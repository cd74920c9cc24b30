using System.ComponentModel;
using System.Reflection;
using Spectre.Console.Cli;
using Sweep.Client.Bundles;
using Sweep.Client.Commands;
using Sweep.Client.Exports;
using Sweep.Client.Tests.TestData;
using Sweep.Grains.Abstractions.Specs;
using Sweep.Options;
using Xunit;

namespace Sweep.Client.Tests.Specs;

/// <summary>Every consumer of trial options names only options of the schema, so an option is added in one place.</summary>
public class OptionSchemaConsumersTests
{
    private static readonly string[] SchemaNames = [.. TrialOptionSchema.All.Select(o => o.Name)];

    [Fact]
    public void Every_training_flag_of_sweep_train_is_a_schema_option_with_its_help_and_default()
    {
        var flags = TrainFlags.SettingsType.GetProperties()
            .Where(p => p.DeclaringType != typeof(TrainSettings) && p.GetCustomAttribute<CommandOptionAttribute>() is not null)
            .ToDictionary(p => p.GetCustomAttribute<CommandOptionAttribute>()!.LongNames.Single(), StringComparer.Ordinal);

        Assert.Equal(SchemaNames.Order(StringComparer.Ordinal), flags.Keys.Order(StringComparer.Ordinal));
        foreach (var option in TrialOptionSchema.All)
        {
            var help = flags[option.Name].GetCustomAttribute<DescriptionAttribute>()!.Description;
            Assert.Contains(option.Help, help, StringComparison.Ordinal);
            if (option.Kind != OptionKind.Switch && option.DefaultText.Length > 0)
            {
                Assert.Contains($"Default: {option.DefaultText}.", help, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task Sweep_train_help_lists_every_option()
    {
        var (exit, console) = await TestConsole.RunAsync("train", "--help");

        Assert.Equal(ExitCodes.Ok, exit);
        Assert.All(TrialOptionSchema.All, o => Assert.Contains(TrainFlags.Template(o), console.Out, StringComparison.Ordinal));
    }

    [Fact]
    public void The_settings_sweep_train_passes_on_are_the_flags_given_by_option_name()
    {
        var settings = (TrainSettings)Activator.CreateInstance(TrainFlags.SettingsType)!;
        TrainFlags.SettingsType.GetProperty("Epochs")!.SetValue(settings, "3");
        TrainFlags.SettingsType.GetProperty("InputGates")!.SetValue(settings, true);

        Assert.Equal(new Dictionary<string, string> { ["epochs"] = "3", ["input-gates"] = "true" }, settings.TrainingSettings());
        Assert.Equal(3, settings.ToOptions().Epochs);
        Assert.True(settings.Sets(TrialOptionSchema.Epochs));
        Assert.False(settings.Sets(TrialOptionSchema.ParameterCost));
    }

    [Fact]
    public void The_spec_check_accepts_exactly_the_options_a_spec_may_set()
    {
        var rules = new SweepSpecRules { CheckDatasetDirectory = false };
        var candidates = SchemaNames.Concat(["colour", "architecture", "learning-rate"]);
        var accepted = candidates.Where(name =>
        {
            var option = TrialOptionSchema.Find(name);
            var value = option?.DefaultText is { Length: > 0 } text ? text : "1";
            var check = SweepSpecParser.TryParse($"name: s\narchitecture: lenet300-100\ndataset: mnist\ngrids:\n  g: {{ \"{name}\": [\"{value}\"] }}\n", rules);
            return !check.Errors.Any(e => e.Path.StartsWith($"grids[0].{name}", StringComparison.Ordinal));
        }).ToArray();

        Assert.Equal(TrialOptionSchema.All.Where(o => o.SpecMaySet).Select(o => o.Name), accepted);
    }

    [Fact]
    public async Task Every_option_column_of_the_exports_is_a_schema_option_and_committed_bundles_still_parse()
    {
        var path = Path.Combine(SampleSweep.RepositoryRoot(), "docs", "study", "lenet300-study.json");
        var bundle = await ResultsBundle.LoadAsync(path, CancellationToken.None);
        var results = bundle.Export.Results;

        var withSettings = ResultsCsv.Write(results).Split('\n')[0].Split(',');
        var withoutSettings = ResultsCsv.Write([.. results.Select(r => r with { Settings = new Dictionary<string, string>() })]).Split('\n')[0].Split(',');
        var optionColumns = withSettings.Except(withoutSettings).ToArray();

        Assert.NotEmpty(optionColumns);
        Assert.All(optionColumns, c => Assert.Contains(c, SchemaNames));
        Assert.All(results, r =>
        {
            var parse = TrialOptions.Parse(r.Settings);
            Assert.True(parse.Succeeded, string.Join(" ", parse.Errors));
        });
        Assert.All(TrialOptionSchema.All.Where(o => o.JsonField is not null), o => Assert.Matches("^[a-z_]+$", o.JsonField!));
    }

    [Fact]
    public void Every_robustness_factor_of_the_analysis_and_the_tables_is_a_schema_factor()
    {
        var factors = TrialOptionSchema.Factors.Select(o => o.Name).ToArray();

        Assert.Equal(factors.Order(StringComparer.Ordinal), new[] { Analysis.TrialFactors.Seed, Analysis.TrialFactors.Init, Analysis.TrialFactors.Width }.Order(StringComparer.Ordinal));
        Assert.Equal(factors, Output.TrialFactors.RobustnessFactors);
    }
}
