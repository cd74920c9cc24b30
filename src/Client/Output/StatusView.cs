using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;
using Sweep.Grains.Abstractions.Sweeps;
using Sweep.Grains.Abstractions.Trials;

namespace Sweep.Client.Output;

/// <summary>What `sweep status` shows: counts by state, epochs, ETA, and a progress bar per running trial.</summary>
public static class StatusView
{
    private const int BarWidth = 20;

    /// <summary>One line: state, counts, epochs and ETA.</summary>
    public static string Summary(SweepStatus status)
    {
        var c = status.Counts;
        var parts = new List<string>
        {
            $"{status.SweepId}: {status.State}",
            $"{c.Completed}/{c.Total} completed",
        };
        if (c.Running > 0)
        {
            parts.Add($"{c.Running} running");
        }
        if (c.Queued + c.Pending > 0)
        {
            parts.Add($"{c.Queued + c.Pending} waiting");
        }
        if (c.Failed > 0)
        {
            parts.Add($"{c.Failed} failed");
        }
        if (c.Cancelled > 0)
        {
            parts.Add($"{c.Cancelled} cancelled");
        }
        if (status.EpochsTotal > 0)
        {
            parts.Add($"epochs {status.EpochsDone}/{status.EpochsTotal}");
        }
        if (status.State == SweepState.Running)
        {
            parts.Add(status.Eta is { } eta ? $"ETA {Numbers.Duration(eta)}" : "ETA n/a");
        }
        if (status.ClusterSlots > 0)
        {
            parts.Add($"{status.ClusterSlots} slot{(status.ClusterSlots == 1 ? "" : "s")}");
        }
        return string.Join(", ", parts);
    }

    /// <summary>The trials shown: running and waiting ones, failed ones (with the reason), all when <paramref name="all"/>.</summary>
    public static TableModel Trials(SweepStatus status, bool all)
    {
        var shown = status.Trials
            .Where(t => all || t.State is TrialState.Running or TrialState.Queued or TrialState.Failed || t.Stalled)
            .OrderBy(t => t.State == TrialState.Running ? 0 : t.State == TrialState.Queued ? 1 : 2)
            .ThenBy(t => t.Spec.Index)
            .ToList();
        var varying = status.Trials.SelectMany(t => t.Spec.Settings.Keys).Distinct(StringComparer.Ordinal)
            .Where(k => status.Trials.Select(t => t.Spec.Setting(k) ?? "").Distinct(StringComparer.Ordinal).Count() > 1)
            .Order(StringComparer.Ordinal)
            .ToArray();
        var columns = new List<string> { "#" };
        columns.AddRange(varying);
        columns.AddRange(["State", "Progress", "Epoch", "Loss", "Test error", "Widths", "Undecided", "Silo"]);
        var rows = shown.Select(t =>
        {
            var p = t.Progress;
            var latest = p?.Latest;
            var epochs = p?.Epochs ?? 0;
            var done = p?.EpochsDone ?? 0;
            var state = t.State.ToString() + (t.Stalled ? " (stalled)" : "") + (t.Restarts > 0 ? $" (restarts {t.Restarts})" : "");
            if (t.FailureReason is { } reason)
            {
                state += $": {reason}";
            }
            var row = new List<string> { t.Spec.Index.ToString(CultureInfo.InvariantCulture) };
            row.AddRange(varying.Select(k => t.Spec.Setting(k) ?? ""));
            row.AddRange(
            [
                state,
                epochs > 0 ? Bar(done, epochs) : "",
                epochs > 0 ? $"{done}/{epochs}" : "",
                latest is null ? "" : Numbers.Fixed(latest.TrainLoss, 4),
                p?.LastTestError is { } error ? Numbers.Percent(error) : "",
                latest is null ? "" : Numbers.Widths(latest.Widths),
                latest is null ? "" : latest.Undecided.ToString(CultureInfo.InvariantCulture),
                p?.Silo ?? "",
            ]);
            return (IReadOnlyList<string>)row;
        }).ToList();
        var hidden = status.Trials.Count - shown.Count;
        return new TableModel("Trials", columns, rows)
        {
            Notes = hidden > 0 ? [$"{hidden} more trial{(hidden == 1 ? "" : "s")} not shown (completed, pending or cancelled); --all shows every trial."] : [],
        };
    }

    public static string Bar(int done, int total)
    {
        var filled = total <= 0 ? 0 : (int)Math.Round(BarWidth * Math.Clamp(done / (double)total, 0, 1));
        return new string('█', filled) + new string('░', BarWidth - filled);
    }

    public static IRenderable Render(SweepStatus status, bool all)
    {
        var trials = Trials(status, all);
        var items = new List<IRenderable> { new Markup($"[bold]{Markup.Escape(Summary(status))}[/]") };
        if (trials.Rows.Count > 0)
        {
            items.Add(TableRenderer.ToSpectre(trials));
        }
        items.AddRange(trials.Notes.Select(n => new Markup($"[grey]{Markup.Escape(n)}[/]")));
        return new Rows(items);
    }
}
