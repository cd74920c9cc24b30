using System.ComponentModel;
using System.Globalization;
using Spectre.Console;
using Spectre.Console.Cli;
using Sweep.Options;

namespace Sweep.Client.Commands;

/// <summary>
/// Flags of <c>sweep train</c> that are not trial options. The trial options' flags, one per option of
/// <see cref="TrialOptionSchema"/> with the option's name, help and default, are those of <see cref="TrainFlags"/>,
/// the type Spectre reads; only flags given on the command line are passed on, so the schema's defaults hold,
/// and <see cref="TrialOptions.Parse"/> checks them (one place for every rule).
/// </summary>
public class TrainSettings : CommandSettings
{
    [CommandOption("--data <DIR>")]
    [Description("Directory of the MNIST IDX files (fetched there when missing).")]
    public string? Data { get; init; }

    [CommandOption("--checkpoint <DIR>")]
    [Description("Write a checkpoint to DIR after every epoch.")]
    public string? Checkpoint { get; init; }

    [CommandOption("--resume")]
    [Description("Resume from the checkpoint in --checkpoint DIR when there is one.")]
    public bool Resume { get; init; }

    [CommandOption("--json")]
    [Description("Print exactly one JSON object with the result on stdout (no progress display).")]
    public bool Json { get; init; }

    /// <summary>The training options given as flags, by their option names.</summary>
    public IReadOnlyDictionary<string, string> TrainingSettings()
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var option in TrialOptionSchema.All)
        {
            if (TrainFlags.ValueOf(this, option) is { } value)
            {
                settings[option.Name] = value;
            }
        }
        return settings;
    }

    /// <summary>Whether the command line sets <paramref name="option"/>.</summary>
    public bool Sets(TrialOption option) => TrainFlags.ValueOf(this, option) is not null;

    /// <summary>The checked training options.</summary>
    public TrialOptions ToOptions() => TrialOptions.FromSettings(TrainingSettings());

    public override ValidationResult Validate()
    {
        if (TrialOptions.Parse(TrainingSettings()) is { Succeeded: false } parse)
        {
            return ValidationResult.Error(string.Join(" ", parse.Errors));
        }
        if (Resume && Checkpoint is null)
        {
            return ValidationResult.Error("--resume needs --checkpoint DIR.");
        }
        if (Checkpoint is not null && File.Exists(Checkpoint))
        {
            return ValidationResult.Error(string.Create(CultureInfo.InvariantCulture, $"--checkpoint {Checkpoint}: is a file, not a directory."));
        }
        return ValidationResult.Success();
    }
}
