using Sweep.Grains.Abstractions.Specs;

namespace Sweep.Grains.Tests.Specs;

/// <summary>Malformed, non-JSON and oversized spec texts: each is one clear error with its position, never an exception.</summary>
public sealed class SweepSpecSyntaxTests
{
    private const string Valid = """
        name: syntax
        architecture: lenet300-100
        dataset: mnist
        epochs: 2
        options: { cost: 0.03, train-limit: 500 }
        grids:
          init-study: { seed: [1, 2], init: [kaiming-uniform, orthogonal] }
          ablation:
            seed: [1]
            prior: ["fixed:0.5"]
        """;

    private static SweepSpecRules Rules => new() { CheckDatasetDirectory = false };

    [Theory]
    [InlineData("name: x\ngrids:\n  g: { seed: [1, 2 }\n", 3, 20)]          // unclosed flow sequence
    [InlineData("name: \"unterminated\n", 1, 7)]                             // unterminated quoted scalar
    [InlineData("name: x\nname: y\n", 2, 1)]                                 // duplicate key
    [InlineData("name: *nowhere\n", 1, 7)]                                   // alias of an unknown anchor
    [InlineData("name: *later\ndataset: &later mnist\n", 1, 7)]              // alias before its anchor
    [InlineData("name: x\n\tdataset: mnist\n", 1, 7)]                        // tab indentation
    [InlineData("name: \"\\UFFFFFFFF\"\n", 1, 5)]                            // escape beyond Unicode (an ArgumentOutOfRangeException inside YamlDotNet: after the last token read)
    [InlineData("name: !<> x\n", 1, 5)]                                      // empty verbatim tag (an ArgumentException inside YamlDotNet)
    public void A_yaml_syntax_error_is_one_error_with_line_and_column(string text, int line, int column)
    {
        var check = SweepSpecParser.TryParse(text, Rules);

        var error = Assert.Single(check.Errors);
        Assert.Equal("(spec)", error.Path);
        Assert.StartsWith("not valid YAML: ", error.Message, StringComparison.Ordinal);
        Assert.Equal(line, error.Line);
        Assert.Equal(column, error.Column);
        Assert.StartsWith($"line {line}, column {column}: (spec): not valid YAML", error.ToString(), StringComparison.Ordinal);
        Assert.Empty(check.Trials);
    }

    [Fact]
    public void No_mangled_spec_escapes_as_an_exception()
    {
        // Every single-character deletion and a sample of insertions of YAML's indicator characters.
        var random = new Random(14);
        const string indicators = "[]{},:-?&*!|>'\"%@`#\t\n\\";
        var texts = Enumerable.Range(0, Valid.Length).Select(i => Valid.Remove(i, 1))
            .Concat(Enumerable.Range(0, 400).Select(_ => Valid.Insert(random.Next(Valid.Length), indicators[random.Next(indicators.Length)].ToString())));
        foreach (var text in texts)
        {
            var check = SweepSpecParser.TryParse(text, Rules);
            foreach (var error in check.Errors.Where(e => e.Path == "(spec)" && e.Message.StartsWith("not valid", StringComparison.Ordinal)))
            {
                Assert.True(error.Line >= 1 && error.Column >= 1, $"{error} for:\n{text}");
            }
        }
    }

    [Fact]
    public void A_json_spec_with_a_trailing_comma_is_rejected_with_its_position()
    {
        const string json = """
            { "name": "j", "architecture": "lenet300-100", "dataset": "mnist",
              "grids": { "g": { "seed": [1, 2,] } } }
            """;

        // YAML's flow syntax would accept it; a .json spec is JSON.
        Assert.True(SweepSpecParser.TryParse(json, Rules).IsValid);
        var check = SweepSpecParser.TryParse(json, Rules, format: SpecFormat.Json);

        var error = Assert.Single(check.Errors);
        Assert.StartsWith("not valid JSON: ", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, error.Line);
        Assert.Equal(35, error.Column);
    }

    [Fact]
    public async Task A_json_file_is_read_as_json_and_a_valid_one_carries_lines()
    {
        var path = Path.Combine(Path.GetTempPath(), $"spec-{Guid.NewGuid():N}.json");
        try
        {
            File.WriteAllText(path, "{ \"name\": \"j\", \"architecture\": \"lenet300-100\", \"dataset\": \"mnist\",\n  \"grids\": { \"g\": { \"seed\": [1, 2], } } }\n");
            var error = await Assert.ThrowsAsync<SweepSpecException>(() => SweepSpecParser.ParseFileAsync(path, Rules));
            Assert.Contains("line 2, column 37: (spec): not valid JSON", Assert.Single(error.Errors), StringComparison.Ordinal);

            File.WriteAllText(path, "{ \"name\": \"j\", \"architecture\": \"lenet300-100\", \"dataset\": \"mnist\",\n  \"grids\": { \"g\": { \"init\": [\"nope\"] } } }\n");
            var invalid = SweepSpecParser.TryParse(File.ReadAllText(path), Rules, format: SweepSpecParser.FormatOf(path));
            Assert.Equal(2, Assert.Single(invalid.Errors).Line);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task An_oversized_spec_is_refused_without_being_read()
    {
        var path = Path.Combine(Path.GetTempPath(), $"spec-{Guid.NewGuid():N}.yaml");
        try
        {
            File.WriteAllText(path, Valid + "\ndescription: " + new string('x', SweepSpecLimits.MaxSpecBytes) + "\n");
            var error = await Assert.ThrowsAsync<SweepSpecException>(() => SweepSpecParser.ParseFileAsync(path, Rules));
            Assert.Contains("more than the limit of 262,144 bytes", error.Message, StringComparison.Ordinal);
            Assert.True(error.Message.Length < 500, error.Message[..Math.Min(500, error.Message.Length)]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("description", SweepSpecLimits.MaxDescriptionLength + 1, "description")]
    [InlineData("grid-value", SweepSpecLimits.MaxValueLength + 1, "grids")]
    [InlineData("option", SweepSpecLimits.MaxValueLength + 1, "options")]
    public void An_oversized_field_is_named_without_echoing_it(string field, int length, string path)
    {
        var huge = new string('a', length);
        var text = field switch
        {
            "description" => Valid + $"\ndescription: {huge}\n",
            "grid-value" => Valid.Replace("[1, 2]", $"[1, {huge}]", StringComparison.Ordinal),
            _ => Valid.Replace("cost: 0.03", $"cost: {huge}", StringComparison.Ordinal),
        };

        var check = SweepSpecParser.TryParse(text, Rules);

        var error = Assert.Single(check.Errors);
        Assert.Equal(path, error.Path);
        Assert.Contains($"is {length:N0} characters long, more than the limit", error.Message, StringComparison.Ordinal);
        Assert.NotNull(error.Line);
        Assert.DoesNotContain(huge, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_coordinators_check_limits_a_spec_no_parser_has_seen()
    {
        var spec = SweepSpecParser.Parse(Valid, Rules).Spec with { Description = new string('d', 3_000_000) };

        var check = SweepSpecValidator.Check(spec, Rules);

        var error = Assert.Single(check.Errors);
        Assert.Equal("description", error.Path);
        Assert.Contains("3,000,000 characters long", error.Message, StringComparison.Ordinal);
    }
}
