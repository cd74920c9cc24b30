using System.Globalization;

namespace Sweep.Options;

/// <summary>
/// A learning-rate schedule as a multiplier of the base rate over the run's progress: "none"
/// (always 1) or "step:F1,F2,..." (x0.1 from each fraction F of the run's steps on, 0 &lt; F &lt; 1).
/// </summary>
public sealed record LearningRateSchedule
{
    private LearningRateSchedule(IReadOnlyList<double> steps) => Steps = steps;

    public static LearningRateSchedule None { get; } = new([]);

    /// <summary>The fractions of the run at which the rate drops tenfold.</summary>
    public IReadOnlyList<double> Steps { get; }

    public static LearningRateSchedule Step(params double[] fractions) =>
        fractions.All(f => f is > 0 and < 1)
            ? new([.. fractions])
            : throw new ArgumentOutOfRangeException(nameof(fractions), "step fractions must lie in (0, 1)");

    public static bool TryParse(string text, out LearningRateSchedule schedule)
    {
        schedule = None;
        var t = text.Trim().ToLowerInvariant();
        if (t.Length == 0 || t == "none")
        {
            return true;
        }
        if (!t.StartsWith("step:", StringComparison.Ordinal))
        {
            return false;
        }
        var parts = t[5..].Split(',', StringSplitOptions.TrimEntries);
        var steps = new double[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out steps[i]) || steps[i] is not (> 0 and < 1))
            {
                return false;
            }
        }
        schedule = new LearningRateSchedule(steps);
        return true;
    }

    /// <summary>The multiplier at <paramref name="step"/> of <paramref name="totalSteps"/>.</summary>
    public double Factor(long step, long totalSteps)
    {
        var factor = 1.0;
        foreach (var s in Steps)
        {
            if (step >= (long)Math.Round(s * totalSteps))
            {
                factor *= 0.1;
            }
        }
        return factor;
    }

    public bool Equals(LearningRateSchedule? other) => other is not null && Steps.SequenceEqual(other.Steps);

    public override int GetHashCode() => ToString().GetHashCode(StringComparison.Ordinal);

    /// <summary>The canonical text: "none" or "step:F1,F2,..." with round-tripping fractions.</summary>
    public override string ToString() =>
        Steps.Count == 0 ? "none" : "step:" + string.Join(',', Steps.Select(s => s.ToString("R", CultureInfo.InvariantCulture)));
}
