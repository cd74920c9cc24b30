namespace Sweep.Client.Bundles;

/// <summary>Results bundles that cannot be read or merged (exit code 1): the message names the files and the clashing trial or field.</summary>
public sealed class BundleException : Exception
{
    public BundleException() { }

    public BundleException(string message) : base(message) { }

    public BundleException(string message, Exception innerException) : base(message, innerException) { }
}
