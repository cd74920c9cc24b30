using Spectre.Console;
using Sweep.Client.Configuration;
using Sweep.Client.Output;

namespace Sweep.Client.Commands;

/// <summary><c>sweep cancel ID</c>: stops every unfinished trial; finished results are kept.</summary>
public sealed class CancelCommand(CliOutput output, ClientConfiguration configuration) : ClusterCommand<CancelCommand.Settings>(output, configuration)
{
    public sealed class Settings : SweepIdSettings;

    protected override async Task<int> RunAsync(Settings settings, CancellationToken cancellationToken)
    {
        await using var connection = await ConnectAsync(settings, cancellationToken);
        await connection.GetLaunchedStatusAsync(settings.Id, cancellationToken);
        await connection.CallAsync(() => connection.Sweep(settings.Id).Cancel(), cancellationToken);
        var status = await connection.GetLaunchedStatusAsync(settings.Id, cancellationToken);
        if (settings.Json)
        {
            Output.WriteRaw(SweepJson.Serialize(status));
        }
        else
        {
            Output.Out.WriteLine(StatusView.Summary(status));
        }
        return ExitCodes.Ok;
    }
}
