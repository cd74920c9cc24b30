namespace Sweep.Grains.Abstractions.Specs;

/// <summary>
/// Sizes a spec may not exceed: a spec is persisted with its sweep and returned by every status
/// call, so a megabyte pasted into a field would bloat the state store and every reply. The
/// examples are a few kilobytes and their longest value a few dozen characters.
/// </summary>
public static class SweepSpecLimits
{
    /// <summary>Bytes of a spec file (UTF-8).</summary>
    public const int MaxSpecBytes = 256 * 1024;

    /// <summary>Characters of the free-text description.</summary>
    public const int MaxDescriptionLength = 4096;

    /// <summary>Characters of any other value: the dataset (a path), an option or grid value, a key.</summary>
    public const int MaxValueLength = 1024;

    /// <summary>Gives the value's length without echoing a huge value into the error.</summary>
    public static string TooLong(int length, int limit) =>
        $"is {length:N0} characters long, more than the limit of {limit:N0}";
}
