using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using Sweep.Client.Configuration;
using Sweep.Client.Output;
using Sweep.Client.Reports;
using Sweep.Grains.Abstractions.Sweeps;

namespace Sweep.Client.Commands;

/// <summary><c>sweep report ID</c> or <c>sweep report --from FILE ...</c>: writes the HTML report with its charts and exports, from the cluster or from results bundles alone.</summary>
public sealed class ReportCommand(CliOutput output, ClientConfiguration configuration) : ClusterCommand<ReportCommand.Settings>(output, configuration)
{
    public sealed class Settings : SweepSourceSettings
    {
        [CommandOption("-o|--out <DIR>")]
        [Description("Folder for report.html, charts/ (PNG and SVG), results.json, trials.csv and robustness.csv. Default: ./sweep-report-ID (with --from: ./sweep-report-NAME, the spec name).")]
        public string? Out { get; init; }

        [CommandOption("--trials-per-group <N>")]
        [Description("Trials per group whose training histories are plotted. Default: 4.")]
        public int? TrialsPerGroup { get; init; }

        public override ValidationResult Validate()
        {
            if (Out is not null && File.Exists(Out))
            {
                return ValidationResult.Error($"--out {Out}: is a file, not a directory.");
            }
            if (TrialsPerGroup is < 0)
            {
                return ValidationResult.Error($"--trials-per-group {TrialsPerGroup}: must be 0 or more.");
            }
            return base.Validate();
        }
    }

    protected override async Task<int> RunAsync(Settings settings, CancellationToken cancellationToken)
    {
        var export = await SweepQueries.ExportAsync(settings, ct => ConnectAsync(settings, ct), Output, cancellationToken);
        var options = new ReportOptions { TrialsPerGroup = settings.TrialsPerGroup ?? new ReportOptions().TrialsPerGroup };
        var files = new ReportGenerator(options).Write(export, settings.Out ?? $"sweep-report-{(settings.FromBundles ? export.Name : settings.Id)}");
        if (settings.Json)
        {
            Output.WriteRaw(SweepJson.Serialize(files));
        }
        else
        {
            Output.Out.WriteLine(files.Html);
            Output.Message($"{files.ChartPngs.Count} charts (PNG and SVG) in {Path.Combine(files.Directory, ReportGenerator.ChartsFolder)}; exports: {files.ResultsJson}, {files.TrialsCsv}, {files.RobustnessCsv}");
        }
        if (export.State == SweepState.Running)
        {
            Output.Message($"The sweep is still running: the report covers {export.Counts.Finished} of {export.Counts.Total} trials.");
        }
        return ExitCodes.Ok;
    }
}
