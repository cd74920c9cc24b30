using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using Sweep.Grains.Abstractions.Sweeps;

namespace Sweep.Client.Commands;

/// <summary>Options of the commands that read a sweep's results either from the cluster (an id) or from results bundles (--from).</summary>
public class SweepSourceSettings : ClusterSettings
{
    [CommandArgument(0, "[ID]")]
    [Description("The sweep id `sweep launch` printed (`sweep list` shows them all). Not with --from.")]
    public string? Id { get; init; }

    [CommandOption("--from <FILE>")]
    [Description("Read the results from a bundle (the JSON `sweep results ID --format json` writes, or a report's results.json) instead of the cluster; repeat for parts of one design (same spec name and options, disjoint trials), which are merged and their report recomputed. No cluster is needed.")]
    public string[]? From { get; init; }

    public bool FromBundles => From is { Length: > 0 };

    public override ValidationResult Validate()
    {
        if (FromBundles)
        {
            if (Id is not null)
            {
                return ValidationResult.Error($"give a sweep id or --from bundles, not both ('{Id}' and --from {From![0]}).");
            }
            if (From!.FirstOrDefault(f => !File.Exists(f)) is { } missing)
            {
                return ValidationResult.Error($"--from {missing}: {(Directory.Exists(missing) ? "is a directory, not a bundle file" : "the file does not exist")}.");
            }
        }
        else if (Id is null)
        {
            return ValidationResult.Error("a sweep id is required (or --from FILE to read results bundles).");
        }
        else if (SweepIds.Check(Id) is { } error)
        {
            return ValidationResult.Error(error);
        }
        return base.Validate();
    }
}
