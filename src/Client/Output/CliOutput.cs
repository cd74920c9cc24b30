using Spectre.Console;

namespace Sweep.Client.Output;

/// <summary>
/// Where commands write: <see cref="Out"/> (stdout) carries results only (ids, tables, JSON, CSV)
/// so that scripts can capture it; <see cref="Error"/> (stderr) carries progress and messages.
/// </summary>
public sealed class CliOutput(IAnsiConsole stdout, IAnsiConsole stderr)
{
    public IAnsiConsole Out { get; } = stdout;

    public IAnsiConsole Error { get; } = stderr;

    /// <summary>The real console: wide tables when stdout is redirected (Spectre would assume 80 columns).</summary>
    public static CliOutput ForConsole()
    {
        var stdout = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
        var stderr = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        if (Console.IsOutputRedirected)
        {
            stdout.Profile.Width = 200;
        }
        return new CliOutput(stdout, stderr);
    }

    /// <summary>Writes text to stdout as is (no markup, no wrapping).</summary>
    public void WriteRaw(string text)
    {
        Out.Profile.Out.Writer.Write(text);
        Out.Profile.Out.Writer.Flush();
    }

    /// <summary>A line on stderr, unwrapped (long paths stay on one line).</summary>
    public void Message(string text)
    {
        Error.Profile.Out.Writer.WriteLine(text);
        Error.Profile.Out.Writer.Flush();
    }

    /// <summary>An error on stderr: red on a terminal, plain otherwise.</summary>
    public void Problem(string text)
    {
        if (Error.Profile.Capabilities.Ansi)
        {
            Error.Profile.Out.Writer.WriteLine($"\u001b[31m{text}\u001b[0m");
            Error.Profile.Out.Writer.Flush();
        }
        else
        {
            Message(text);
        }
    }
}
