namespace Sweep.Grains.Abstractions.Reports;

/// <summary>The three outcomes of a claim for one group of trials.</summary>
public enum Verdict
{
    /// <summary>
    /// The data can neither confirm nor refute the claim: too few trials per level, an interval that
    /// straddles the margin, a factor with a single level, or a claim with no threshold to judge against.
    /// </summary>
    Inconclusive = 0,
    Holds = 1,
    Fails = 2,
}
