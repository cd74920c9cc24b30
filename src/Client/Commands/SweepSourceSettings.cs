using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using Sweep.Grains.Abstractions.Sweeps;

namespace Sweep.Client.Commands;

/// <summary>Options of the commands that read a sweep's results either from the cluster (an id) or from results bundles (--from).</summary>
public class SweepSourceSettings : ClusterSettings
{
    [CommandArgument(0, "[ID]")]
    [Description("The sweep id `sweep launch` printed (`sweep list` shows them all). With --from: more bundle files (so that a shell pattern can list them).")]
    public string[]? Arguments { get; init; }

    [CommandOption("--from <FILE>")]
    [Description("Read the results from a bundle (the JSON `sweep results ID --format json` writes, or a report's results.json) instead of the cluster; repeat, or list more files after it, for parts of one design (same spec name and options, disjoint trials), which are merged and their report recomputed. No cluster is needed.")]
    public string[]? From { get; init; }

    public bool FromBundles => From is { Length: > 0 };

    /// <summary>The sweep id (without --from).</summary>
    public string? Id => FromBundles ? null : Arguments?.FirstOrDefault();

    /// <summary>Every bundle file, in the order given (with --from).</summary>
    public IReadOnlyList<string> Bundles => FromBundles ? [.. From!, .. Arguments ?? []] : [];

    public override ValidationResult Validate()
    {
        if (FromBundles)
        {
            if (Bundles.FirstOrDefault(f => !File.Exists(f)) is { } missing)
            {
                return ValidationResult.Error(SweepIds.Check(missing) is null
                    ? $"give a sweep id or --from bundles, not both ('{missing}' and --from {From![0]})."
                    : $"--from {missing}: {(Directory.Exists(missing) ? "is a directory, not a bundle file" : "the file does not exist")}.");
            }
        }
        else if (Arguments is not { Length: > 0 })
        {
            return ValidationResult.Error("a sweep id is required (or --from FILE to read results bundles).");
        }
        else if (Arguments.Length > 1)
        {
            return ValidationResult.Error($"unexpected argument '{Arguments[1]}': give one sweep id (or --from FILE ... to read results bundles).");
        }
        else if (SweepIds.Check(Arguments[0]) is { } error)
        {
            return ValidationResult.Error(error);
        }
        return base.Validate();
    }
}
