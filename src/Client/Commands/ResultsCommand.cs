using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using Sweep.Client.Configuration;
using Sweep.Client.Exports;
using Sweep.Client.Output;
using Sweep.Grains.Abstractions.Sweeps;

namespace Sweep.Client.Commands;

/// <summary><c>sweep results ID</c> (or <c>--from FILE ...</c>, merged bundles): per-trial results and the robustness table; CSV (one row per trial) or JSON (everything).</summary>
public sealed class ResultsCommand(CliOutput output, ClientConfiguration configuration) : ClusterCommand<ResultsCommand.Settings>(output, configuration)
{
    public static IReadOnlyList<string> Formats { get; } = ["table", "csv", "json"];

    public sealed class Settings : SweepSourceSettings
    {
        [CommandOption("-f|--format <FORMAT>")]
        [Description("table (trials, robustness table, verdicts), csv (one row per trial) or json (spec, report and every result with its per-epoch history). Default: table.")]
        public string? Format { get; init; }

        [CommandOption("-o|--out <FILE>")]
        [Description("Write to FILE instead of stdout (csv and json).")]
        public string? Out { get; init; }

        public string EffectiveFormat => Json ? "json" : (Format ?? "table").ToLowerInvariant();

        public override ValidationResult Validate()
        {
            if (Format is not null && !Formats.Contains(Format.ToLowerInvariant()))
            {
                return ValidationResult.Error($"--format '{Format}': use one of {string.Join(", ", Formats)}.");
            }
            if (Json && Format is not null && !Format.Equals("json", StringComparison.OrdinalIgnoreCase))
            {
                return ValidationResult.Error($"--json and --format {Format} contradict each other.");
            }
            if (Out is not null && EffectiveFormat == "table")
            {
                return ValidationResult.Error("--out needs --format csv or json.");
            }
            if (Out is not null && Directory.Exists(Out))
            {
                return ValidationResult.Error($"--out {Out}: is a directory, not a file.");
            }
            return base.Validate();
        }
    }

    protected override async Task<int> RunAsync(Settings settings, CancellationToken cancellationToken)
    {
        var export = await SweepQueries.ExportAsync(settings, ct => ConnectAsync(settings, ct), Output, cancellationToken);
        var text = settings.EffectiveFormat switch
        {
            "json" => SweepJson.Serialize(export),
            "csv" => ResultsCsv.Write(export.Results),
            _ => null,
        };
        if (text is null)
        {
            TableRenderer.Write(Output.Out, TrialsTable.Build(export.Results));
            foreach (var table in RobustnessTable.BuildAll(export.Report))
            {
                TableRenderer.Write(Output.Out, table);
            }
            if (FailuresTable.AnyFailed(export.Results))
            {
                TableRenderer.Write(Output.Out, FailuresTable.Build(export.Results));
            }
        }
        else if (settings.Out is { } file)
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(file));
            if (directory is not null)
            {
                Directory.CreateDirectory(directory);
            }
            await File.WriteAllTextAsync(file, text, cancellationToken);
            Output.Message($"Wrote {export.Results.Count} results to {Path.GetFullPath(file)}");
        }
        else
        {
            Output.WriteRaw(text);
        }
        if (export.State == SweepState.Running)
        {
            Output.Message($"The sweep is still running: {export.Counts.Finished} of {export.Counts.Total} trials finished.");
        }
        return ExitCodes.Ok;
    }
}
