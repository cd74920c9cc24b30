using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using Sweep.Client.Cluster;
using Sweep.Client.Configuration;

namespace Sweep.Client.Commands;

/// <summary>Options of the commands that take a sweep id.</summary>
public class SweepIdSettings : ClusterSettings
{
    [CommandArgument(0, "<ID>")]
    [Description("The sweep id `sweep launch` printed (`sweep list` shows them all).")]
    public string Id { get; init; } = "";

    public override ValidationResult Validate()
    {
        if (Grains.Abstractions.Sweeps.SweepIds.Check(Id) is { } error)
        {
            return ValidationResult.Error(error);
        }
        return base.Validate();
    }
}
