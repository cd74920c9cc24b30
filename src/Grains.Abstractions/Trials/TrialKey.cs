using System.Globalization;

namespace Sweep.Grains.Abstractions.Trials;

/// <summary>Identifies one trial of a sweep; its string form "sweepId/index" is the TrialGrain key.</summary>
[GenerateSerializer, Immutable]
public readonly record struct TrialKey([property: Id(0)] string SweepId, [property: Id(1)] int Index)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{SweepId}/{Index}");

    /// <summary>Parses "sweepId/index" (the sweep id may not contain '/').</summary>
    public static TrialKey Parse(string key)
    {
        var slash = key.LastIndexOf('/');
        if (slash <= 0 || !int.TryParse(key.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            throw new FormatException($"'{key}' is not a trial key of the form sweepId/index.");
        }
        return new TrialKey(key[..slash], index);
    }
}
