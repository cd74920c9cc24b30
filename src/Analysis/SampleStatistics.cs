using MathNet.Numerics.Distributions;
using MathNet.Numerics.Statistics;
using Sweep.Grains.Abstractions.Reports;

namespace Sweep.Analysis;

/// <summary>Summaries, t intervals and Wilson intervals of samples (MathNet.Numerics gives the distributions).</summary>
public static class SampleStatistics
{
    /// <summary>Mean, sample sd, CV, range and the t-based interval of the mean at <paramref name="confidence"/> (none below two values).</summary>
    public static StatisticSummary Summarize(IReadOnlyCollection<double> values, double confidence = 0.95)
    {
        if (values.Count == 0)
        {
            return new StatisticSummary();
        }
        var mean = values.Mean();
        var sd = values.Count > 1 ? values.StandardDeviation() : 0;
        var (lower, upper) = values.Count > 1 ? MeanInterval(mean, sd, values.Count, confidence) : ((double?)null, (double?)null);
        return new StatisticSummary
        {
            Count = values.Count,
            Mean = mean,
            StandardDeviation = sd,
            CoefficientOfVariation = mean == 0 ? 0 : sd / Math.Abs(mean),
            Min = values.Minimum(),
            Max = values.Maximum(),
            Lower = lower,
            Upper = upper,
        };
    }

    /// <summary>The two-sided t interval of a mean: mean +- t(n - 1, 1 - alpha / 2) sd / sqrt(n).</summary>
    public static (double? Lower, double? Upper) MeanInterval(double mean, double sd, int count, double confidence)
    {
        var half = StudentT.InvCDF(0, 1, count - 1, 1 - (1 - confidence) / 2) * sd / Math.Sqrt(count);
        return (mean - half, mean + half);
    }

    /// <summary>The Wilson score interval of a proportion <paramref name="count"/> / <paramref name="trials"/> (0 to 1 for no trials).</summary>
    public static (double Lower, double Upper) Wilson(int count, int trials, double confidence)
    {
        if (trials == 0)
        {
            return (0, 1);
        }
        var z = Normal.InvCDF(0, 1, 1 - (1 - confidence) / 2);
        var p = count / (double)trials;
        var z2 = z * z;
        var denominator = 1 + z2 / trials;
        var center = (p + z2 / (2 * trials)) / denominator;
        var half = z * Math.Sqrt(p * (1 - p) / trials + z2 / (4.0 * trials * trials)) / denominator;
        // At 0 or n successes the bound is exactly 0 or 1 (the formula leaves rounding dust).
        return (count == 0 ? 0 : Math.Max(0, center - half), count == trials ? 1 : Math.Min(1, center + half));
    }
}
