using System.Globalization;

namespace Sweep.Pruning.Optimization;

/// <summary>
/// A learning-rate schedule as a multiplier of the base rate over the run's progress (0 to 1):
/// "none" (always 1) or "step:F1,F2,..." (x0.1 from each fraction F of the run's steps on).
/// </summary>
public sealed class Schedule
{
    private readonly double[] _steps;

    private Schedule(double[] steps) => _steps = steps;

    public static bool TryParse(string text, out Schedule schedule)
    {
        schedule = new Schedule([]);
        if (string.IsNullOrWhiteSpace(text) || text.Trim() == "none")
        {
            return true;
        }
        var t = text.Trim();
        if (!t.StartsWith("step:", StringComparison.Ordinal))
        {
            return false;
        }
        var parts = t[5..].Split(',', StringSplitOptions.TrimEntries);
        var steps = new double[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out steps[i]) || !(steps[i] > 0 && steps[i] < 1))
            {
                return false;
            }
        }
        schedule = new Schedule(steps);
        return true;
    }

    public static Schedule Parse(string text) =>
        TryParse(text, out var s) ? s : throw new ArgumentException($"Invalid schedule '{text}'.", nameof(text));

    /// <summary>The multiplier at <paramref name="step"/> of <paramref name="totalSteps"/>.</summary>
    public double Factor(long step, long totalSteps)
    {
        var factor = 1.0;
        foreach (var s in _steps)
        {
            if (step >= (long)Math.Round(s * totalSteps))
            {
                factor *= 0.1;
            }
        }
        return factor;
    }
}
