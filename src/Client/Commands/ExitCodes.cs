namespace Sweep.Client.Commands;

/// <summary>Process exit codes shared by every command (documented in `sweep --help` and docs/CLI.md).</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The arguments or the files they name are not acceptable (bad option, invalid spec, unknown sweep id, results bundles that cannot be read or merged); nothing was done.</summary>
    public const int InvalidInput = 1;

    /// <summary>The command was valid but the work failed: a trial failed, the sweep was cancelled, the local silo did not start, a data source failed.</summary>
    public const int Failure = 2;

    /// <summary>No gateway of the cluster answered within the retry budget.</summary>
    public const int ClusterUnreachable = 3;

    /// <summary>The text `--help` shows.</summary>
    public const string Help = "Exit codes: 0 ok, 1 usage or invalid input, 2 run failure, 3 cluster unreachable.";
}
