using Microsoft.Extensions.Logging;

namespace Sweep.Grains.Sweeps;

/// <summary>
/// When a sweep's watchdog runs: a timer while its coordinator is active (it interleaves with the coordinator's
/// calls and keeps it active), and a durable reminder that reactivates the coordinator after its silo died.
/// </summary>
public sealed partial class WatchdogSchedule(IGrainBase grain, SweepCoordinatorOptions options, Func<CancellationToken, Task> tick, ILogger logger)
{
    private const string Reminder = "watchdog";

    private IGrainTimer? _timer;

    /// <summary>The reminder and the timer, for a sweep just launched.</summary>
    public async Task StartDurableAsync()
    {
        await grain.RegisterOrUpdateReminder(Reminder, options.ReminderPeriod, options.ReminderPeriod);
        Start(options.WatchdogPeriod);
    }

    /// <summary>The timer, first ticking after <paramref name="dueTime"/>; a no-op while it runs.</summary>
    public void Start(TimeSpan dueTime) =>
        _timer ??= grain.RegisterGrainTimer(tick, new GrainTimerCreationOptions(dueTime, options.WatchdogPeriod) { Interleave = true, KeepAlive = true });

    public void StopTimer()
    {
        _timer?.Dispose();
        _timer = null;
    }

    /// <summary>The timer and the reminder, for a sweep that finished.</summary>
    public async Task StopAsync()
    {
        StopTimer();
        await UnregisterReminderAsync();
    }

    public async Task UnregisterReminderAsync()
    {
        try
        {
            if (await grain.GetReminder(Reminder) is { } reminder)
            {
                await grain.UnregisterReminder(reminder);
            }
        }
        catch (Exception e)
        {
            LogReminderFailed(e, grain.GrainContext.GrainId.Key.ToString());
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweep {Sweep}: watchdog reminder could not be removed")]
    private partial void LogReminderFailed(Exception exception, string sweep);
}
