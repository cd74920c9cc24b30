using MathNet.Numerics.Distributions;
using Sweep.Grains.Abstractions.Reports;
using Sweep.Grains.Abstractions.Trials;

namespace Sweep.Analysis;

/// <summary>
/// How much of a quantity's variance a factor explains against the seed-to-seed noise: within each
/// level of the other factor (a block), a one-way decomposition into between-level and within-cell
/// (seed) sums of squares, pooled over the blocks. The share is partial eta squared; the F-test uses
/// MathNet's Fisher-Snedecor distribution; the interval is a percentile bootstrap over seeds within cells.
/// </summary>
public static class FactorEffects
{
    private const int BootstrapSamples = 1000;
    private const int BootstrapSeed = 20261201;

    public static FactorEffect? Decompose(string metric, string factor, string block, IReadOnlyCollection<TrialResult> trials, Func<TrialResult, double> value, double confidence)
    {
        var cells = trials.GroupBy(t => TrialFactors.Level(t, block), StringComparer.Ordinal)
            .Select(b => b.GroupBy(t => TrialFactors.Level(t, factor), StringComparer.Ordinal).Select(c => c.Select(value).ToArray()).ToArray())
            .Where(b => b.Length >= 2)
            .ToArray();
        var (ssFactor, ssNoise, dfFactor, dfNoise) = SumsOfSquares(cells);
        if (dfFactor == 0 || dfNoise == 0)
        {
            return null;
        }
        var share = Share(ssFactor, ssNoise);
        double f, p;
        if (ssNoise == 0)
        {
            (f, p) = ssFactor == 0 ? (0, 1) : (double.PositiveInfinity, 0);
        }
        else
        {
            f = ssFactor / dfFactor / (ssNoise / dfNoise);
            p = 1 - FisherSnedecor.CDF(dfFactor, dfNoise, f);
        }
        var random = new Random(BootstrapSeed);
        var shares = new double[BootstrapSamples];
        for (var s = 0; s < BootstrapSamples; s++)
        {
            var resampled = cells.Select(b => b.Select(c => Enumerable.Range(0, c.Length).Select(_ => c[random.Next(c.Length)]).ToArray()).ToArray()).ToArray();
            var (sf, sn, _, _) = SumsOfSquares(resampled);
            shares[s] = Share(sf, sn);
        }
        Array.Sort(shares);
        var alpha = 1 - confidence;
        return new FactorEffect
        {
            Metric = metric,
            Factor = factor,
            Share = share,
            ShareLower = MathNet.Numerics.Statistics.SortedArrayStatistics.Quantile(shares, alpha / 2),
            ShareUpper = MathNet.Numerics.Statistics.SortedArrayStatistics.Quantile(shares, 1 - alpha / 2),
            FStatistic = f,
            DegreesOfFreedomFactor = dfFactor,
            DegreesOfFreedomNoise = dfNoise,
            PValue = p,
            NoiseStandardDeviation = Math.Sqrt(ssNoise / dfNoise),
            Trials = cells.Sum(b => b.Sum(c => c.Length)),
        };
    }

    private static double Share(double ssFactor, double ssNoise) => ssFactor + ssNoise == 0 ? 0 : ssFactor / (ssFactor + ssNoise);

    private static (double SsFactor, double SsNoise, int DfFactor, int DfNoise) SumsOfSquares(double[][][] blocks)
    {
        double ssFactor = 0, ssNoise = 0;
        int dfFactor = 0, dfNoise = 0;
        foreach (var block in blocks)
        {
            var blockMean = block.SelectMany(c => c).Average();
            foreach (var cell in block)
            {
                var cellMean = cell.Average();
                ssFactor += cell.Length * (cellMean - blockMean) * (cellMean - blockMean);
                ssNoise += cell.Sum(x => (x - cellMean) * (x - cellMean));
                dfNoise += cell.Length - 1;
            }
            dfFactor += block.Length - 1;
        }
        return (ssFactor, ssNoise, dfFactor, dfNoise);
    }
}
