using Sweep.Client.Commands;
using Sweep.Client.Tests.TestData;
using Xunit;

namespace Sweep.Client.Tests.Commands;

/// <summary>Arguments and spec checks that end before any connection: exit code 1 with a message naming the problem.</summary>
public class CommandParsingTests
{
    /// <summary>A loopback port nothing listens on: a command that wrongly tried to connect would end with 3, not 1.</summary>
    private const string ClosedGateway = "127.0.0.1:1";

    [Theory]
    [InlineData("launch")]
    [InlineData("list")]
    [InlineData("status")]
    [InlineData("results")]
    [InlineData("report")]
    [InlineData("cancel")]
    [InlineData("train")]
    [InlineData("data", "fetch")]
    public async Task Help_of_every_command_documents_the_exit_codes(params string[] command)
    {
        var (exit, console) = await TestConsole.RunAsync([.. command, "--help"]);

        Assert.Equal(ExitCodes.Ok, exit);
        Assert.Contains("USAGE:", console.Out);
        Assert.Contains("EXIT CODES:", console.Out);
        Assert.Contains("3  cluster unreachable", console.Out);
    }

    [Fact]
    public async Task Unknown_option_is_invalid_input()
    {
        var (exit, console) = await TestConsole.RunAsync("list", "--frobnicate");

        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.Contains("frobnicate", console.Error);
    }

    [Fact]
    public async Task Launch_of_a_missing_spec_names_the_file()
    {
        var (exit, console) = await TestConsole.RunAsync("launch", "no-such-spec.yaml", "--gateway", ClosedGateway);

        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.Contains("spec file 'no-such-spec.yaml' does not exist", console.Error);
    }

    [Fact]
    public async Task Invalid_spec_lists_every_problem_with_key_and_value_and_launches_nothing()
    {
        var spec = WriteSpec("""
            name: bad-sweep
            architecture: lenet300-100
            dataset: mnist
            epochs: 3
            grids:
              g1: { init: [kaiming-uniform, glorot], width: [0] }
            """);

        var (exit, console) = await TestConsole.RunAsync("launch", spec, "--gateway", ClosedGateway, "--connect-attempts", "1");

        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.Contains("Invalid sweep spec; nothing was launched", console.Error);
        Assert.Contains("glorot", console.Error);
        Assert.Contains("grids[0].width[0]", console.Error);
        Assert.DoesNotContain("Cannot reach", console.Error);
    }

    [Fact]
    public async Task Unknown_spec_key_is_named_with_its_line()
    {
        var spec = WriteSpec("""
            name: bad-sweep
            architecture: lenet300-100
            dataset: mnist
            colour: blue
            grids:
              g1: { seed: [1] }
            """);

        var (exit, console) = await TestConsole.RunAsync("launch", spec, "--gateway", ClosedGateway);

        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.Contains("line 4: colour: unknown key", console.Error);
    }

    [Fact]
    public async Task Spec_with_more_trials_than_the_configured_limit_is_rejected_before_connecting()
    {
        var spec = WriteSpec("""
            name: big
            architecture: lenet300-100
            dataset: mnist
            grids:
              g: { seed: [1, 2, 3, 4, 5], init: [kaiming-uniform, orthogonal] }
            """);
        var environment = new Dictionary<string, string?> { ["Sweep__Client__MaxTrials"] = "4" };

        var (exit, console) = await TestConsole.RunAsync(environment, "launch", spec, "--gateway", ClosedGateway);

        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.Contains("the grids expand to 10 trials, more than the limit of 4", console.Error);
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("localhost:0")]
    [InlineData("localhost:70000")]
    [InlineData("[::1]30000")]
    public async Task Malformed_gateway_is_invalid_input(string gateway)
    {
        var (exit, console) = await TestConsole.RunAsync("list", "--gateway", gateway);

        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.Contains($"'{gateway}'", console.Error);
    }

    [Fact]
    public async Task Malformed_sweep_id_is_invalid_input()
    {
        var (exit, console) = await TestConsole.RunAsync("results", "a/b", "--gateway", ClosedGateway);

        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.Contains("sweep id 'a/b'", console.Error);
    }

    [Fact]
    public async Task Results_format_must_be_table_csv_or_json()
    {
        var (exit, console) = await TestConsole.RunAsync("results", "some-sweep", "--format", "xml");

        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.Contains("--format 'xml': use one of table, csv, json", console.Error);
    }

    [Fact]
    public void Results_json_flag_is_the_json_format_and_contradictions_are_rejected()
    {
        Assert.Equal("json", new ResultsCommand.Settings { Arguments = ["s"], Json = true }.EffectiveFormat);
        Assert.Equal("csv", new ResultsCommand.Settings { Arguments = ["s"], Format = "CSV" }.EffectiveFormat);
        Assert.False(new ResultsCommand.Settings { Arguments = ["s"], Json = true, Format = "csv" }.Validate().Successful);
        Assert.False(new ResultsCommand.Settings { Arguments = ["s"], Out = "x.txt" }.Validate().Successful);
    }

    [Fact]
    public void Status_watch_and_json_do_not_go_together()
    {
        var result = new StatusCommand.Settings { Watch = true, Json = true }.Validate();

        Assert.False(result.Successful);
        Assert.Contains("--watch and --json", result.Message);
    }

    [Fact]
    public void Launch_silo_needs_local_and_local_or_report_implies_following()
    {
        var spec = WriteSpec("name: x");

        Assert.False(new LaunchCommand.Settings { Spec = spec, Silo = "/opt/silo" }.Validate().Successful);
        Assert.True(new LaunchCommand.Settings { Spec = spec, Local = true, Silo = "/opt/silo" }.Validate().Successful);
        Assert.True(new LaunchCommand.Settings { Spec = spec, Local = true }.Follows);
        Assert.True(new LaunchCommand.Settings { Spec = spec, Report = "out" }.Follows);
        Assert.False(new LaunchCommand.Settings { Spec = spec }.Follows);
    }

    [Fact]
    public void Connect_options_override_the_configuration()
    {
        var settings = new ListCommand.Settings { Gateways = ["10.1.2.3:30000", "[::1]:30001"], ConnectAttempts = 2, ConnectTimeout = 0.5 };

        var options = settings.Apply(new Sweep.Client.Configuration.ClientOptions { Gateways = ["127.0.0.1:30000"], ConnectAttempts = 9, ClusterId = "lab" });

        Assert.Equal(["10.1.2.3:30000", "[::1]:30001"], options.EffectiveGateways);
        Assert.Equal(2, options.ConnectAttempts);
        Assert.Equal(TimeSpan.FromSeconds(0.5), options.ConnectTimeout);
        Assert.Equal("lab", options.ClusterId);
    }

    private static string WriteSpec(string text)
    {
        var path = Path.Combine(Path.GetTempPath(), $"sweep-spec-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, text);
        return path;
    }
}
