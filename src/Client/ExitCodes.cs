namespace Sweep.Client;

/// <summary>Process exit codes shared by every command.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The arguments or the files they name are not acceptable; nothing was done.</summary>
    public const int InvalidInput = 1;

    /// <summary>The command was valid but could not complete (for example every data source failed).</summary>
    public const int Failure = 2;
}
