namespace Sweep.Grains.Abstractions.Reports;

public enum Verdict
{
    /// <summary>The sweep lacks what the claim needs (e.g. a single init for init-robust, no completed trial).</summary>
    NotTested = 0,
    Holds = 1,
    Fails = 2,
}
