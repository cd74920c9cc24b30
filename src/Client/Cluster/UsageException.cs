namespace Sweep.Client.Cluster;

/// <summary>The command's input is not acceptable (unknown sweep id, bad gateway): exit code 1, message shown as is.</summary>
public sealed class UsageException : Exception
{
    public UsageException() { }

    public UsageException(string message) : base(message) { }

    public UsageException(string message, Exception innerException) : base(message, innerException) { }
}
