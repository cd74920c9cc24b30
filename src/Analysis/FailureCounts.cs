using Sweep.Grains.Abstractions.Reports;
using Sweep.Grains.Abstractions.Trials;

namespace Sweep.Analysis;

/// <summary>
/// Which failed trials are outcomes of the method (a layer collapsed, the training diverged) and
/// which are not (cancelled, lost, errors, bad input): the former count against the claims, the
/// latter are listed apart and excluded.
/// </summary>
public static class FailureCounts
{
    public const string Collapsed = "collapsed";
    public const string Diverged = "diverged";
    public const string Either = "collapsed or diverged";

    public static bool IsMethodFailure(TrialResult t) =>
        t.State == TrialState.Failed && t.FailureReason is Collapsed or Diverged;

    /// <summary>A trial that says something about the method: completed, collapsed or diverged.</summary>
    public static bool Counts(TrialResult t) => t.State == TrialState.Completed || IsMethodFailure(t);

    /// <summary>Per reason and for both together: how many of the counted trials failed, with Wilson intervals.</summary>
    public static FailureRate[] Rates(IReadOnlyCollection<TrialResult> trials, double confidence)
    {
        var counted = trials.Where(Counts).ToArray();
        return
        [
            Rate(Collapsed, counted.Count(t => t.FailureReason == Collapsed && t.State == TrialState.Failed), counted.Length, confidence),
            Rate(Diverged, counted.Count(t => t.FailureReason == Diverged && t.State == TrialState.Failed), counted.Length, confidence),
            Rate(Either, counted.Count(IsMethodFailure), counted.Length, confidence),
        ];
    }

    public static FailureRate Rate(string reason, int count, int trials, double confidence)
    {
        var (lower, upper) = SampleStatistics.Wilson(count, trials, confidence);
        return new FailureRate { Reason = reason, Count = count, Trials = trials, Rate = trials == 0 ? 0 : count / (double)trials, Lower = lower, Upper = upper };
    }

    /// <summary>Failed and cancelled trials that are not outcomes of the method, by reason.</summary>
    public static Dictionary<string, int> Excluded(IEnumerable<TrialResult> trials) =>
        trials.Where(t => t.State is TrialState.Failed or TrialState.Cancelled && !IsMethodFailure(t))
            .GroupBy(t => t.FailureReason ?? (t.State == TrialState.Cancelled ? "cancelled" : "error"), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
}
