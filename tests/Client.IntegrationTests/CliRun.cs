using Spectre.Console;
using Sweep.Client.Configuration;
using Sweep.Client.Output;

namespace Sweep.Client.IntegrationTests;

/// <summary>One `sweep` invocation in-process, stdout and stderr captured.</summary>
public sealed record CliRun(int ExitCode, string Out, string Error)
{
    public static Task<CliRun> RunAsync(IReadOnlyDictionary<string, string?> environment, params string[] args) =>
        RunUntilAsync(environment, args, new StringWriter(), CancellationToken.None);

    /// <summary>Like <see cref="RunAsync(IReadOnlyDictionary{string, string?}, string[])"/>, stopped by <paramref name="cancellation"/> (as Ctrl+C does); stderr so far is readable through <paramref name="stderr"/>.</summary>
    public static async Task<CliRun> RunUntilAsync(IReadOnlyDictionary<string, string?> environment, string[] args, StringWriter stderr, CancellationToken cancellation)
    {
        var stdout = new StringWriter();
        var output = new CliOutput(Console(stdout), Console(stderr));
        var configuration = ClientConfiguration.Load(Path.GetTempPath(), environment);
        var exit = await SweepApp.Create(output, configuration).RunAsync(args, cancellation);
        return new CliRun(exit, stdout.ToString(), stderr.ToString());
    }

    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Out}\n--- stderr ---\n{Error}";

    private static IAnsiConsole Console(StringWriter writer)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = 220;
        return console;
    }
}
