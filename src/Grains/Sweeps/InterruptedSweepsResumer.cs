using Microsoft.Extensions.Logging;
using Sweep.Grains.Abstractions.Sweeps;

namespace Sweep.Grains.Sweeps;

/// <summary>
/// At silo start, wakes every sweep the registry lists as running. A coordinator resumes its
/// trials when it activates; without this, a sweep interrupted by a stopped or crashed silo sat
/// idle after a restart by hand until its reminder fired (up to Sweep:Coordinator:ReminderPeriod,
/// a minute). Waking a sweep that runs elsewhere is harmless: activation is idempotent.
/// </summary>
public sealed partial class InterruptedSweepsResumer(IGrainFactory grains, ILogger<InterruptedSweepsResumer> logger) : IStartupTask
{
    public async Task Execute(CancellationToken cancellationToken)
    {
        try
        {
            var sweeps = await grains.GetGrain<ISweepRegistryGrain>(ISweepRegistryGrain.Key).List();
            foreach (var sweep in sweeps.Where(s => s.State == SweepState.Running))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var status = await grains.GetGrain<ISweepGrain>(sweep.SweepId).GetStatus();
                LogResumed(sweep.SweepId, status.Counts.Finished, status.Counts.Total);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The reminder still resumes them; a failed wake-up must not stop the silo.
            LogFailed(e);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Resumed interrupted sweep {Sweep} at silo start ({Finished} of {Total} trials finished)")]
    private partial void LogResumed(string sweep, int finished, int total);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not wake interrupted sweeps at silo start; their reminders will")]
    private partial void LogFailed(Exception exception);
}
