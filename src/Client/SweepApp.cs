using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using Spectre.Console.Cli;
using Sweep.Client.Commands;
using Sweep.Client.Configuration;
using Sweep.Client.Hosting;
using Sweep.Client.Output;

namespace Sweep.Client;

/// <summary>The `sweep` command line: every command, its help and the exit-code mapping. Program runs it; tests build it with their own console.</summary>
public static class SweepApp
{
    public static CommandApp Create(CliOutput output, ClientConfiguration configuration)
    {
        var services = new ServiceCollection();
        services.AddSingleton(output);
        services.AddSingleton(configuration);
        var app = new CommandApp(new TypeRegistrar(services));
        app.Configure(config => Configure(config, output));
        return app;
    }

    public static void Configure(IConfigurator config, CliOutput output)
    {
        config.SetApplicationName("sweep");
        config.UseStrictParsing();
        config.SetHelpProvider(new SweepHelpProvider(config.Settings));
        config.Settings.Console = output.Out;
        config.SetExceptionHandler((exception, _) => OnUnhandledException(output, exception));

        config.AddCommand<LaunchCommand>("launch")
            .WithDescription("Check a sweep spec, launch it and print its id; --wait follows it and prints the robustness table; --local runs it on a silo started for it.")
            .WithExample("launch", "examples/quick-sweep.yaml", "--local", "--report", "quick-report")
            .WithExample("launch", "examples/lenet300-study.yaml", "--gateway", "10.0.0.5:30000")
            .WithExample("launch", "examples/lenet300-study.yaml", "--only-missing", "docs/study/part1.json", "docs/study/part2.json");
        config.AddCommand<ListCommand>("list")
            .WithDescription("List the sweeps of the cluster, newest first.")
            .WithExample("list", "--json");
        config.AddCommand<StatusCommand>("status")
            .WithDescription("Show a sweep's progress: counts by state, ETA, and epoch, loss, error and widths of each running trial.")
            .WithExample("status")
            .WithExample("status", "quick-sweep-20261129-074452-3f9a", "--watch");
        config.AddCommand<ResultsCommand>("results")
            .WithDescription("Print a sweep's results: per trial and the robustness table, or export them as CSV or JSON (the JSON is the sweep's results bundle); --from reads and merges bundles instead of the cluster.")
            .WithExample("results", "quick-sweep-20261129-074452-3f9a", "--format", "csv", "--out", "trials.csv")
            .WithExample("results", "quick-sweep-20261129-074452-3f9a", "--format", "json", "--out", "docs/study/part1.json");
        config.AddCommand<ReportCommand>("report")
            .WithDescription("Write a sweep's HTML report with charts (PNG and SVG) and its exports into a folder; --from rebuilds it from results bundles alone, merging parts of one design.")
            .WithExample("report", "quick-sweep-20261129-074452-3f9a", "--out", "reports/quick")
            .WithExample("report", "--from", "docs/study/part1.json", "--from", "docs/study/part2.json", "--out", "docs/study/report");
        config.AddCommand<CancelCommand>("cancel")
            .WithDescription("Cancel a sweep: stop its unfinished trials; finished results are kept.")
            .WithExample("cancel", "quick-sweep-20261129-074452-3f9a");
        TrainFlags.AddTrainCommand(config, "train")
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
    }

    /// <summary>Bad arguments are invalid input (1); anything else that escapes a command is a failure (2).</summary>
    private static int OnUnhandledException(CliOutput output, Exception exception)
    {
        if (exception is CommandAppException)
        {
            output.Problem(exception.Message);
            return ExitCodes.InvalidInput;
        }
        output.Error.WriteException(exception, ExceptionFormats.ShortenEverything);
        return ExitCodes.Failure;
    }
}
