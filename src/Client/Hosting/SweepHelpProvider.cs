using Spectre.Console;
using Spectre.Console.Cli;
using Spectre.Console.Cli.Help;
using Spectre.Console.Rendering;

namespace Sweep.Client.Hosting;

/// <summary>Adds the exit codes and where configuration comes from to every --help.</summary>
public sealed class SweepHelpProvider(ICommandAppSettings settings) : HelpProvider(settings)
{
    public override IEnumerable<IRenderable> GetFooter(ICommandModel model, ICommandInfo? command)
    {
        foreach (var item in base.GetFooter(model, command))
        {
            yield return item;
        }
        yield return new Markup(
            "\n[yellow]EXIT CODES:[/]\n" +
            "    0  ok\n" +
            "    1  usage or invalid input (bad option, invalid spec, unknown sweep id, results bundles that cannot be read or merged); nothing was done\n" +
            "    2  run failure (a trial failed, the sweep was cancelled, the local silo did not start)\n" +
            "    3  cluster unreachable (no gateway answered; the message names the gateways tried)\n\n" +
            "[yellow]CONFIGURATION:[/]\n" +
            "    Options override environment variables, which override appsettings.json next to the client\n" +
            "    (and the JSON file named by SWEEP_CONFIG). Environment: SWEEP_GATEWAYS=host:port,...  SWEEP_CLUSTER_ID\n" +
            "    SWEEP_SERVICE_ID  SWEEP_SILO_PATH  SWEEP_DATA_DIR, or any key as Sweep__Client__ConnectAttempts=3.\n" +
            "    Details: docs/CLI.md\n");
    }
}
