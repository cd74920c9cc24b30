using Spectre.Console;
using Spectre.Console.Cli;
using Sweep.Client;
using Sweep.Client.Commands;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        // Engine settings (oneDNN ISA) must reach the native environment before any convolution runs.
        Sweep.Pruning.Engine.EngineSetup.EnsureInitialized();
        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };

        var app = new CommandApp();
        app.Configure(config =>
        {
            config.SetApplicationName("sweep");
            config.UseStrictParsing();
            config.SetExceptionHandler(OnUnhandledException);

            config.AddCommand<TrainCommand>("train")
                .WithDescription("Train one network locally with gates that prune it as it learns; prints a summary or one JSON object.")
                .WithExample("train", "--arch", "lenet300-100", "--epochs", "3", "--train-limit", "20000");

            config.AddBranch("data", data =>
            {
                data.SetDescription("Fetch and check datasets.");
                data.AddCommand<DataFetchCommand>("fetch")
                    .WithDescription("Put a verified copy of a dataset into a directory (no-op when it is already there).")
                    .WithExample("data", "fetch")
                    .WithExample("data", "fetch", "--dir", "/data/mnist", "--from", "/mnt/share/mnist");
            });
        });
        return await app.RunAsync(args, cancellation.Token);
    }

    /// <summary>Bad arguments are invalid input (1); anything else that escapes a command is a failure (2).</summary>
    private static int OnUnhandledException(Exception exception, ITypeResolver? resolver)
    {
        if (exception is CommandAppException)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]{exception.Message}[/]");
            return ExitCodes.InvalidInput;
        }
        AnsiConsole.WriteException(exception, ExceptionFormats.ShortenEverything);
        return ExitCodes.Failure;
    }
}
