namespace Sweep.Analysis;

/// <summary>
/// The paired permutation test: under "no difference" each pair's difference is as likely to have
/// either sign, so the p-value is the share of sign assignments whose |mean| is at least the observed
/// one. Exact (all 2^n assignments) up to 16 pairs, else a seeded Monte Carlo sample.
/// </summary>
public static class SignFlipTest
{
    private const int ExactUpTo = 16;
    private const int MonteCarloSamples = 20000;
    private const int MonteCarloSeed = 20261201;

    public static string Name(int pairs) => pairs <= ExactUpTo ? "exact sign-flip permutation test" : $"sign-flip permutation test ({MonteCarloSamples} random assignments)";

    /// <summary>Two-sided p-value; 1 for no pairs or all-zero differences.</summary>
    public static double PValue(IReadOnlyList<double> differences)
    {
        var n = differences.Count;
        if (n == 0 || differences.All(d => d == 0))
        {
            return 1;
        }
        var observed = Math.Abs(differences.Sum());
        // Sums compared with a relative tolerance, so that ties from rounding count as ties.
        var tolerance = 1e-9 * Math.Max(1, differences.Sum(Math.Abs));
        if (n <= ExactUpTo)
        {
            var atLeast = 0L;
            var total = 1L << n;
            for (var mask = 0L; mask < total; mask++)
            {
                var sum = 0.0;
                for (var i = 0; i < n; i++)
                {
                    sum += (mask & (1L << i)) != 0 ? -differences[i] : differences[i];
                }
                if (Math.Abs(sum) >= observed - tolerance)
                {
                    atLeast++;
                }
            }
            return atLeast / (double)total;
        }
        var random = new Random(MonteCarloSeed);
        var count = 0;
        for (var s = 0; s < MonteCarloSamples; s++)
        {
            var sum = 0.0;
            for (var i = 0; i < n; i++)
            {
                sum += random.Next(2) == 0 ? -differences[i] : differences[i];
            }
            if (Math.Abs(sum) >= observed - tolerance)
            {
                count++;
            }
        }
        return (count + 1.0) / (MonteCarloSamples + 1.0);
    }
}
