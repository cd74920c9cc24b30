namespace Sweep.Analysis;

/// <summary>Holm's step-down adjustment of a family of p-values (controls the family-wise error rate).</summary>
public static class Holm
{
    /// <summary>Adjusted p-values in the order given: the i-th smallest becomes max over j &lt;= i of min(1, (m - j + 1) p(j)).</summary>
    public static double[] Adjust(IReadOnlyList<double> pValues)
    {
        var m = pValues.Count;
        var order = Enumerable.Range(0, m).OrderBy(i => pValues[i]).ToArray();
        var adjusted = new double[m];
        var running = 0.0;
        for (var rank = 0; rank < m; rank++)
        {
            running = Math.Max(running, Math.Min(1, (m - rank) * pValues[order[rank]]));
            adjusted[order[rank]] = running;
        }
        return adjusted;
    }
}
