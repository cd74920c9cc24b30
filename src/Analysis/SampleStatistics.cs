using MathNet.Numerics.Statistics;
using Sweep.Grains.Abstractions.Reports;

namespace Sweep.Analysis;

/// <summary>Summaries and spreads of samples (MathNet.Numerics does the arithmetic).</summary>
public static class SampleStatistics
{
    public static StatisticSummary Summarize(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0)
        {
            return new StatisticSummary();
        }
        var mean = values.Mean();
        var sd = values.Count > 1 ? values.StandardDeviation() : 0;
        return new StatisticSummary
        {
            Count = values.Count,
            Mean = mean,
            StandardDeviation = sd,
            CoefficientOfVariation = mean == 0 ? 0 : sd / Math.Abs(mean),
            Min = values.Minimum(),
            Max = values.Maximum(),
        };
    }

    /// <summary>(max - min) / mean of <paramref name="means"/>; 0 for fewer than two; the absolute range when the mean is 0.</summary>
    public static double RelativeSpread(IReadOnlyCollection<double> means)
    {
        if (means.Count < 2)
        {
            return 0;
        }
        var range = means.Maximum() - means.Minimum();
        var mean = means.Mean();
        return mean == 0 ? range : range / Math.Abs(mean);
    }

    /// <summary>max - min of <paramref name="values"/>; 0 for fewer than two.</summary>
    public static double Range(IReadOnlyCollection<double> values) => values.Count < 2 ? 0 : values.Maximum() - values.Minimum();
}
