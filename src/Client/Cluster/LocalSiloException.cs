namespace Sweep.Client.Cluster;

/// <summary>The silo that `launch --local` starts could not be found (exit 1) or did not come up (exit 2).</summary>
public sealed class LocalSiloException : Exception
{
    public LocalSiloException() { }

    public LocalSiloException(string message) : base(message) { }

    public LocalSiloException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>True when the silo binary was not found: a configuration problem, not a failed run.</summary>
    public bool NotFound { get; init; }
}
