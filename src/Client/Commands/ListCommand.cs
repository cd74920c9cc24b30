using Spectre.Console.Cli;
using Sweep.Client.Configuration;
using Sweep.Client.Output;

namespace Sweep.Client.Commands;

/// <summary><c>sweep list</c>: every sweep of the cluster, newest first.</summary>
public sealed class ListCommand(CliOutput output, ClientConfiguration configuration) : ClusterCommand<ListCommand.Settings>(output, configuration)
{
    public sealed class Settings : ClusterSettings;

    protected override async Task<int> RunAsync(Settings settings, CancellationToken cancellationToken)
    {
        await using var connection = await ConnectAsync(settings, cancellationToken);
        var sweeps = await connection.CallAsync(() => connection.Registry.List(), cancellationToken);
        if (settings.Json)
        {
            Output.WriteRaw(SweepJson.Serialize(sweeps));
        }
        else if (sweeps.Count == 0)
        {
            Output.Message("No sweeps yet; start one with: sweep launch SPEC");
        }
        else
        {
            TableRenderer.Write(Output.Out, SweepListTable.Build(sweeps));
        }
        return ExitCodes.Ok;
    }
}
