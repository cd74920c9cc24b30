using Spectre.Console;
using Spectre.Console.Cli;
using Sweep.Client.Bundles;
using Sweep.Client.Cluster;
using Sweep.Client.Configuration;
using Sweep.Client.Output;
using Sweep.Grains.Abstractions.Specs;

namespace Sweep.Client.Commands;

/// <summary>
/// A command that talks to the cluster. Maps what goes wrong to the exit codes: invalid spec, unknown id or
/// unusable results bundle 1, failed run 2, unreachable cluster 3 (with the gateways tried and how to start a silo).
/// </summary>
public abstract class ClusterCommand<TSettings>(CliOutput output, ClientConfiguration configuration) : AsyncCommand<TSettings>
    where TSettings : ClusterSettings
{
    protected CliOutput Output { get; } = output;

    protected ClientConfiguration Configuration { get; } = configuration;

    public sealed override async Task<int> ExecuteAsync(CommandContext context, TSettings settings, CancellationToken cancellationToken)
    {
        try
        {
            return await RunAsync(settings, cancellationToken);
        }
        catch (SweepSpecException ex)
        {
            Output.Problem(ex.Errors.Count == 0 ? ex.Message : "Invalid sweep spec; nothing was launched:");
            foreach (var error in ex.Errors)
            {
                Output.Error.WriteLine("  - " + error);
            }
            return ExitCodes.InvalidInput;
        }
        catch (BundleException ex)
        {
            Output.Problem(ex.Message);
            return ExitCodes.InvalidInput;
        }
        catch (UsageException ex)
        {
            Output.Problem(ex.Message);
            return ExitCodes.InvalidInput;
        }
        catch (ClusterUnreachableException ex)
        {
            Output.Problem(ex.Message);
            return ExitCodes.ClusterUnreachable;
        }
        catch (LocalSiloException ex)
        {
            Output.Problem(ex.Message);
            return ex.NotFound ? ExitCodes.InvalidInput : ExitCodes.Failure;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Output.Problem("Cancelled.");
            return ExitCodes.Failure;
        }
    }

    protected abstract Task<int> RunAsync(TSettings settings, CancellationToken cancellationToken);

    protected ClientOptions ClientOptions(TSettings settings) => settings.Apply(Configuration.Client);

    protected Task<ClusterConnection> ConnectAsync(TSettings settings, CancellationToken cancellationToken) =>
        new ClusterConnector(ClientOptions(settings), Output.Message).ConnectAsync(cancellationToken);
}
