using System.Globalization;

namespace Sweep.Options;

/// <summary>
/// The prior on the gates (option `prior`): the flattening hyper-prior of the method, or a fixed
/// Bernoulli prior with inclusion probability PI, the ablation ("fixed:PI", 0 &lt; PI &lt; 1).
/// </summary>
public readonly record struct Prior
{
    private Prior(double? fixedPi) => FixedPi = fixedPi;

    public static Prior Flattening { get; }

    /// <summary>PI of the fixed prior; null under the flattening hyper-prior.</summary>
    public double? FixedPi { get; }

    public bool IsFixed => FixedPi is not null;

    public static Prior Fixed(double pi) => pi is > 0 and < 1
        ? new Prior(pi)
        : throw new ArgumentOutOfRangeException(nameof(pi), pi, "a fixed prior needs 0 < PI < 1");

    /// <summary>Reads "flattening" or "fixed:PI"; false for anything else.</summary>
    public static bool TryParse(string text, out Prior prior)
    {
        prior = Flattening;
        var value = text.Trim().ToLowerInvariant();
        if (value == "flattening")
        {
            return true;
        }
        if (value.StartsWith("fixed:", StringComparison.Ordinal)
            && double.TryParse(value.AsSpan(6), NumberStyles.Float, CultureInfo.InvariantCulture, out var pi)
            && pi is > 0 and < 1)
        {
            prior = new Prior(pi);
            return true;
        }
        return false;
    }

    /// <summary>The canonical text: "flattening" or "fixed:PI" with PI round-tripping.</summary>
    public override string ToString() =>
        FixedPi is { } pi ? "fixed:" + pi.ToString("R", CultureInfo.InvariantCulture) : "flattening";
}
