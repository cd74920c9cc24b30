using System.Globalization;
using Sweep.Grains.Abstractions.Sweeps;

namespace Sweep.Client.Output;

/// <summary>The table of `sweep list`.</summary>
public static class SweepListTable
{
    public static TableModel Build(IReadOnlyList<SweepSummary> sweeps) => new(
        "Sweeps",
        ["Id", "Name", "State", "Launched (UTC)", "Finished (UTC)", "Trials", "Completed", "Failed"],
        sweeps.Select(s => (IReadOnlyList<string>)
        [
            s.SweepId, s.Name, s.State.ToString(), Time(s.LaunchedAt), s.FinishedAt is { } f ? Time(f) : "",
            I(s.Trials), I(s.Completed), I(s.Failed),
        ]).ToList());

    private static string Time(DateTime t) => t.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);
}
