using System.Globalization;

namespace Sweep.Options.Tests;

/// <summary>The table itself: every default reads back, every range and every list of choices refuses what lies outside it, naming the option.</summary>
public class TrialOptionSchemaTests
{
    public static TheoryData<string> Names() => [.. TrialOptionSchema.All.Select(o => o.Name)];

    [Theory]
    [MemberData(nameof(Names))]
    public void Every_option_parses_its_default_to_the_typed_default(string name)
    {
        var option = TrialOptionSchema.Find(name)!;

        Assert.Equal((option.DefaultText, (string?)null), option.Canonicalize(option.DefaultText));
        var parse = TrialOptions.Parse(new Dictionary<string, string> { [name] = option.DefaultText });
        Assert.True(parse.Succeeded, string.Join(" ", parse.Errors));
        Assert.Equal(new TrialOptions(), parse.Options);
        Assert.Equal(option.DefaultText, option.TextOf(new Dictionary<string, string>()));
    }

    [Fact]
    public void The_typed_defaults_are_the_tables()
    {
        var settings = new TrialOptions().ToSettings();
        foreach (var option in TrialOptionSchema.All)
        {
            if (settings.TryGetValue(option.Name, out var text))
            {
                Assert.Equal(option.DefaultText, text);
            }
            else
            {
                Assert.True(option.OmittedAtDefault, $"{option.Name} is missing from the default settings");
            }
        }
    }

    public static TheoryData<string, string> OutOfRange() => Edges(inside: false);

    public static TheoryData<string, string> AtTheEdges() => Edges(inside: true);

    // Per number option, the values one step inside (or outside) each end of its Range.
    private static TheoryData<string, string> Edges(bool inside)
    {
        var data = new TheoryData<string, string>();
        foreach (var option in TrialOptionSchema.All.Where(o => o.Kind is OptionKind.Number or OptionKind.WholeNumber))
        {
            var r = option.Range;
            var step = option.Kind == OptionKind.WholeNumber ? 1 : 0.001;
            if (r.Min is { } min)
            {
                data.Add(option.Name, Text(inside ? (r.MinExclusive ? min + step : min) : (r.MinExclusive ? min : min - step)));
            }
            if (r.Max is { } max)
            {
                data.Add(option.Name, Text(inside ? (r.MaxExclusive ? max - step : max) : (r.MaxExclusive ? max : max + step)));
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(OutOfRange))]
    public void A_value_out_of_range_is_refused_naming_the_option_and_the_value(string name, string value)
    {
        var parse = TrialOptions.Parse(new Dictionary<string, string> { [name] = value });

        var error = Assert.Single(parse.Errors);
        Assert.Equal(name, error.Option);
        Assert.Contains("out of range", error.Message, StringComparison.Ordinal);
        Assert.Contains($"{name} = '{value}'", error.ToString(), StringComparison.Ordinal);
    }

    // With the test above: the range a reader enforces is the Range that --help and the validator show, not a narrower one.
    [Theory]
    [MemberData(nameof(AtTheEdges))]
    public void A_value_at_the_edge_of_its_range_is_accepted(string name, string value)
    {
        var parse = TrialOptions.Parse(new Dictionary<string, string> { [name] = value });

        Assert.True(parse.Succeeded, string.Join(" ", parse.Errors));
    }

    [Fact]
    public void Every_number_option_has_a_range()
    {
        Assert.All(TrialOptionSchema.All.Where(o => o.Kind is OptionKind.Number or OptionKind.WholeNumber),
            o => Assert.True(o.Range.Min is not null, $"{o.Name} accepts any number"));
    }

    public static TheoryData<string> ChoiceNames() =>
        [.. TrialOptionSchema.All.Where(o => o.Kind is OptionKind.Choice or OptionKind.Switch or OptionKind.Prior or OptionKind.Schedule).Select(o => o.Name)];

    [Theory]
    [MemberData(nameof(ChoiceNames))]
    public void An_unknown_choice_is_refused_naming_the_option_and_the_value(string name)
    {
        var parse = TrialOptions.Parse(new Dictionary<string, string> { [name] = "no-such-value" });

        var error = Assert.Single(parse.Errors);
        Assert.Equal(name, error.Option);
        Assert.Contains("'no-such-value'", error.Message, StringComparison.Ordinal);
        Assert.All(TrialOptionSchema.Find(name)!.Choices, choice => Assert.Contains(choice, error.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Every_choice_reads_back_as_itself_whatever_its_case()
    {
        foreach (var option in TrialOptionSchema.All.Where(o => o.Kind == OptionKind.Choice))
        {
            Assert.NotEmpty(option.Choices);
            Assert.All(option.Choices, choice => Assert.Equal((choice, (string?)null), option.Canonicalize(" " + choice.ToUpperInvariant() + " ")));
        }
    }

    [Fact]
    public void Every_error_of_a_settings_dictionary_is_reported_at_once()
    {
        var parse = TrialOptions.Parse(new Dictionary<string, string> { ["width"] = "wide", ["epochs"] = "0", ["colour"] = "red" });

        Assert.Null(parse.Options);
        Assert.Equal(["colour", "epochs", "width"], parse.Errors.Select(e => e.Option).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Only_the_silo_sets_the_threads_and_the_robustness_factors_are_seed_init_width()
    {
        Assert.Equal(["threads"], TrialOptionSchema.All.Where(o => !o.SpecMaySet).Select(o => o.Name));
        Assert.Equal(["width", "init", "seed"], TrialOptionSchema.Factors.Select(o => o.Name));
        Assert.Equal(TrialOptionSchema.All.Count, TrialOptionSchema.All.Select(o => o.Name).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Canonical_text_is_invariant_and_stable()
    {
        Assert.Equal(("0.001", (string?)null), TrialOptionSchema.LearningRate.Canonicalize("1e-3"));
        Assert.Equal(("fixed:0.5", (string?)null), TrialOptionSchema.Prior.Canonicalize("FIXED:0.50"));
        Assert.Equal(("step:0.6,0.85", (string?)null), TrialOptionSchema.LearningRateSchedule.Canonicalize("step:0.6, 0.85"));
        Assert.Equal(("1,0.5", (string?)null), TrialOptionSchema.CostMultipliers.Canonicalize("1, 0.50"));
        Assert.Equal(TrialOptionSchema.Epochs.Default, TrialOptionSchema.Epochs.Read(new Dictionary<string, string>()));
        Assert.Equal(7, TrialOptionSchema.Epochs.Read(new Dictionary<string, string> { ["epochs"] = "7" }));
    }

    private static string Text(double value) => value.ToString(CultureInfo.InvariantCulture);
}
