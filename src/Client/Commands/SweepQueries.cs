using Spectre.Console;
using Sweep.Client.Bundles;
using Sweep.Client.Cluster;
using Sweep.Client.Exports;
using Sweep.Client.Output;
using Sweep.Grains.Abstractions.Sweeps;

namespace Sweep.Client.Commands;

/// <summary>Reads that several commands share.</summary>
public static class SweepQueries
{
    /// <summary>Spec, status, report and results of a launched sweep, as `results --format json` prints them.</summary>
    public static async Task<SweepExport> ExportAsync(ClusterConnection connection, string sweepId, CancellationToken cancellationToken)
    {
        var status = await connection.GetLaunchedStatusAsync(sweepId, cancellationToken);
        var grain = connection.Sweep(sweepId);
        var spec = await connection.CallAsync(() => grain.GetSpec(), cancellationToken);
        var report = await connection.CallAsync(() => grain.GetReport(), cancellationToken);
        var results = await connection.CallAsync(() => grain.GetResults(), cancellationToken);
        return new SweepExport
        {
            SweepId = sweepId,
            Name = status.Name.Length > 0 ? status.Name : spec?.Name ?? "",
            State = status.State,
            Counts = status.Counts,
            Spec = spec,
            Report = report,
            Results = results.OrderBy(r => r.Index).ToArray(),
        };
    }

    /// <summary>Longest pause between two tries while no gateway answers a follower.</summary>
    public static readonly TimeSpan MaxWaitDelay = TimeSpan.FromSeconds(16);

    /// <summary>
    /// The export a results or report command works on: merged from the bundles of --from (their
    /// notices written to stderr), or read from the cluster.
    /// </summary>
    public static async Task<SweepExport> ExportAsync(SweepSourceSettings settings, Func<CancellationToken, Task<ClusterConnection>> connect, CliOutput output, CancellationToken cancellationToken)
    {
        if (settings.FromBundles)
        {
            var merged = await BundleMerger.LoadAndMergeAsync(settings.Bundles, cancellationToken);
            foreach (var notice in merged.Notices)
            {
                output.Message(notice);
            }
            return merged.Export;
        }
        await using var connection = await connect(cancellationToken);
        return await ExportAsync(connection, settings.Id!, cancellationToken);
    }

    /// <summary>
    /// Follows a sweep until it is no longer running: a live view (a progress bar per running trial)
    /// on an interactive console, a summary line per change otherwise. Returns the last status.
    /// While no gateway answers (a cluster failing over) it keeps trying with backoff and says it is
    /// waiting on <paramref name="waiting"/>, for as long as <paramref name="keepWaiting"/> holds
    /// (always when null; Ctrl+C stops following).
    /// </summary>
    public static async Task<SweepStatus> FollowAsync(ClusterConnection connection, string sweepId, IAnsiConsole console, TimeSpan refresh, bool all, CancellationToken cancellationToken,
        Action<string>? waiting = null, Func<bool>? keepWaiting = null)
    {
        var poll = () => PollAsync(connection, sweepId, refresh, waiting ?? (_ => { }), keepWaiting, cancellationToken);
        var status = await connection.GetLaunchedStatusAsync(sweepId, cancellationToken);
        if (console.Profile.Capabilities.Interactive && console.Profile.Capabilities.Ansi)
        {
            await console.Live(StatusView.Render(status, all)).AutoClear(false).StartAsync(async live =>
            {
                while (status.State == SweepState.Running)
                {
                    await Task.Delay(refresh, cancellationToken);
                    status = await poll();
                    live.UpdateTarget(StatusView.Render(status, all));
                    live.Refresh();
                }
            });
            return status;
        }
        var last = "";
        while (true)
        {
            var line = StatusView.Summary(status);
            if (line != last)
            {
                // Unwrapped: one line per change, also when stderr is a file.
                console.Profile.Out.Writer.WriteLine($"{DateTime.Now:HH:mm:ss} {line}");
                console.Profile.Out.Writer.Flush();
                last = line;
            }
            if (status.State != SweepState.Running)
            {
                return status;
            }
            await Task.Delay(refresh, cancellationToken);
            status = await poll();
        }
    }

    private static async Task<SweepStatus> PollAsync(ClusterConnection connection, string sweepId, TimeSpan refresh, Action<string> waiting, Func<bool>? keepWaiting, CancellationToken cancellationToken)
    {
        var delay = refresh;
        var since = DateTime.UtcNow;
        while (true)
        {
            try
            {
                var status = await connection.GetLaunchedStatusAsync(sweepId, cancellationToken);
                if (delay != refresh)
                {
                    waiting($"The cluster answers again (after {Numbers.Duration(DateTime.UtcNow - since)}).");
                }
                return status;
            }
            catch (ClusterUnreachableException ex) when (keepWaiting?.Invoke() ?? true)
            {
                waiting($"No gateway answers ({string.Join(", ", ex.Gateways)}): waiting for the cluster for {Numbers.Duration(DateTime.UtcNow - since)}, next try in {delay.TotalSeconds:0.#} s (Ctrl+C stops following, not the sweep).");
                await Task.Delay(delay, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxWaitDelay.Ticks));
            }
        }
    }
}
