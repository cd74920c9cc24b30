using Spectre.Console;
using Sweep.Client.Configuration;
using Sweep.Client.Output;

namespace Sweep.Client.Tests.TestData;

/// <summary>Runs `sweep` in-process with stdout and stderr captured and a configuration of the test's choosing.</summary>
public sealed class TestConsole
{
    private readonly StringWriter _out = new();
    private readonly StringWriter _error = new();

    public TestConsole()
    {
        Output = new CliOutput(Create(_out), Create(_error));
    }

    public CliOutput Output { get; }

    public string Out => _out.ToString();

    public string Error => _error.ToString();

    public static async Task<(int ExitCode, TestConsole Console)> RunAsync(IReadOnlyDictionary<string, string?>? environment, params string[] args)
    {
        var console = new TestConsole();
        var configuration = ClientConfiguration.Load(Path.GetTempPath(), environment ?? new Dictionary<string, string?>());
        var exit = await SweepApp.Create(console.Output, configuration).RunAsync(args);
        return (exit, console);
    }

    public static Task<(int ExitCode, TestConsole Console)> RunAsync(params string[] args) => RunAsync(null, args);

    private static IAnsiConsole Create(StringWriter writer)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = 200;
        return console;
    }
}
