using MathNet.Numerics.Distributions;
using MathNet.Numerics.Statistics;
using Sweep.Grains.Abstractions.Reports;

namespace Sweep.Analysis;

/// <summary>
/// Two one-sided tests (TOST) on Welch's t for the difference of two means against a margin, and the
/// test of the opposite: that the difference lies beyond the margin. Both p-values are left
/// unadjusted here; the claim adjusts them across its family with <see cref="Holm"/>.
/// </summary>
public static class Equivalence
{
    public static LevelComparison Compare(string metric, string factor, string slice, string levelA, IReadOnlyCollection<double> a,
        string levelB, IReadOnlyCollection<double> b, double margin, double confidence)
    {
        var alpha = 1 - confidence;
        var (na, nb) = (a.Count, b.Count);
        var (va, vb) = (a.Variance(), b.Variance());
        var difference = b.Mean() - a.Mean();
        var se = Math.Sqrt(va / na + vb / nb);
        double lower, upper, pEquivalent, pBeyond;
        if (se == 0)
        {
            // No seed-to-seed variation at all: the difference is known exactly.
            (lower, upper) = (difference, difference);
            pEquivalent = Math.Abs(difference) < margin ? 0 : 1;
            pBeyond = Math.Abs(difference) > margin ? 0 : 1;
        }
        else
        {
            var df = WelchDegreesOfFreedom(va, na, vb, nb);
            var t = StudentT.InvCDF(0, 1, df, 1 - alpha);
            (lower, upper) = (difference - t * se, difference + t * se);
            // H0: difference <= -margin, and H0: difference >= margin; equivalence needs both rejected.
            var aboveLowerMargin = 1 - StudentT.CDF(0, 1, df, (difference + margin) / se);
            var belowUpperMargin = StudentT.CDF(0, 1, df, (difference - margin) / se);
            pEquivalent = Math.Max(aboveLowerMargin, belowUpperMargin);
            // H0: |difference| <= margin, against either side beyond it (Bonferroni over the two sides).
            var beyondUpper = 1 - StudentT.CDF(0, 1, df, (difference - margin) / se);
            var beyondLower = StudentT.CDF(0, 1, df, (difference + margin) / se);
            pBeyond = Math.Min(1, 2 * Math.Min(beyondUpper, beyondLower));
        }
        return new LevelComparison
        {
            Metric = metric,
            Factor = factor,
            Slice = slice,
            LevelA = levelA,
            LevelB = levelB,
            A = SampleStatistics.Summarize(a, confidence),
            B = SampleStatistics.Summarize(b, confidence),
            Difference = difference,
            Lower = lower,
            Upper = upper,
            Margin = margin,
            PEquivalent = pEquivalent,
            PEquivalentAdjusted = pEquivalent,
            PBeyond = pBeyond,
            PBeyondAdjusted = pBeyond,
        };
    }

    /// <summary>Welch–Satterthwaite degrees of freedom.</summary>
    public static double WelchDegreesOfFreedom(double va, int na, double vb, int nb)
    {
        var (qa, qb) = (va / na, vb / nb);
        var denominator = (na > 1 ? qa * qa / (na - 1) : 0) + (nb > 1 ? qb * qb / (nb - 1) : 0);
        return denominator == 0 ? Math.Max(1, na + nb - 2) : (qa + qb) * (qa + qb) / denominator;
    }

    /// <summary>The outcome of a comparison from its adjusted p-values.</summary>
    public static Verdict Outcome(LevelComparison c, double alpha) =>
        c.PBeyondAdjusted < alpha ? Verdict.Fails : c.PEquivalentAdjusted < alpha ? Verdict.Holds : Verdict.Inconclusive;
}
