using Orleans.Concurrency;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Sweep.Grains.Abstractions.Reports;
using Sweep.Grains.Abstractions.Specs;
using Sweep.Grains.Abstractions.Sweeps;
using Sweep.Grains.Abstractions.Trials;
using Sweep.Grains.Events;
using Sweep.Grains.Execution;
using Sweep.Analysis;
using Sweep.Grains.Trials;

namespace Sweep.Grains.Sweeps;

/// <summary>
/// The coordinator of one sweep. It persists the expanded trials, starts as many as the live silos
/// have slots for (placing each on the silo with the most free slots), records each result once,
/// keeps the robustness report current, and runs a watchdog (a timer while active, a durable
/// reminder to come back after its silo died) that restarts the trials of lost silos elsewhere.
/// Reentrant: trials deliver results while it is starting others; state writes are serialized.
/// </summary>
[Reentrant]
public sealed partial class SweepGrain : Grain, ISweepGrain, ISweepCoordinator, IRemindable
{
    private readonly IPersistentState<SweepGrainState> _state;
    private readonly ClusterCapacity _capacity;
    private readonly ISweepEvents _events;
    private readonly SweepCoordinatorOptions _options;
    private readonly ILogger<SweepGrain> _logger;
    private readonly SweepLaunch _launch;
    private readonly SweepProgressTracker _progress;
    private readonly TrialDispatcher _dispatcher = new();
    private SweepCalls _calls = null!;
    private readonly SemaphoreSlim _writes = new(1, 1);
    private WatchdogSchedule _watchdog = null!;
    private SweepReport? _report;

    public SweepGrain(
        [PersistentState("sweep", SweepStorage.Name)] IPersistentState<SweepGrainState> state,
        ClusterCapacity capacity, ISweepEvents events, IOptions<SweepCoordinatorOptions> options, ILogger<SweepGrain> logger,
        IEnumerable<ITrialSettingsCheck> settingsChecks)
    {
        _state = state;
        _capacity = capacity;
        _events = events;
        _options = options.Value;
        _logger = logger;
        _launch = new SweepLaunch(_options, settingsChecks.LastOrDefault());
        _progress = new SweepProgressTracker(_options.StallTimeout);
    }

    private SweepGrainState S => _state.State;

    private string SweepId => this.GetPrimaryKeyString();

    private bool Running => S.State == SweepState.Running;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _calls = new SweepCalls(GrainFactory, SweepId, _logger);
        _watchdog = new WatchdogSchedule(this, _options, WatchdogTickAsync, _logger);
        if (Running)
        {
            _watchdog.Start(TimeSpan.FromMilliseconds(200));
        }
        return Task.CompletedTask;
    }

    public async Task<SweepStatus> Launch(SweepSpec spec)
    {
        if (!_launch.Apply(SweepId, S, spec, DateTime.UtcNow))
        {
            return Status();
        }
        await WriteAsync(undo: () => SweepLaunch.Undo(S));
        LogLaunched(SweepId, S.Trials.Count);
        _events.SweepLaunched(SweepId, S.Spec!.Name, S.Trials.Count);
        await _watchdog.StartDurableAsync();
        await RecordInRegistryAsync();
        await DispatchAsync();
        return PublishProgress();
    }

    public async Task Cancel()
    {
        if (!Running)
        {
            return;
        }
        var started = SweepResults.CancelUnfinished(S.Trials, DateTime.UtcNow);
        await FinishAsync(SweepState.Cancelled);
        await Task.WhenAll(started.Select(_calls.CancelAsync));
    }

    public Task<SweepStatus> GetStatus() => Task.FromResult(Status());

    public Task<IReadOnlyList<TrialResult>> GetResults() => Task.FromResult(SweepResults.Delivered(S.Trials));

    public Task<SweepReport> GetReport()
    {
        _report ??= SweepAnalysis.Analyze(S.Spec, SweepId, S.Trials.Count, SweepResults.Delivered(S.Trials));
        return Task.FromResult(_report);
    }

    public Task<SweepSpec?> GetSpec() => Task.FromResult(S.Spec);

    public async Task DeliverResult(TrialResult result)
    {
        if (SweepResults.Record(SweepId, S.Trials, result) is not { } undo)
        {
            LogDuplicateResult(SweepId, result.Index);
            return;
        }
        await WriteAsync(undo);
        _report = null;
        _progress.Forget(result.Index);
        if (S.Trials.All(t => t.State.IsTerminal()))
        {
            await FinishAsync(SweepState.Completed);
            return;
        }
        await RecordInRegistryAsync();
        await DispatchAsync();
        PublishProgress();
    }

    public Task ReportProgress(TrialProgress progress)
    {
        _progress.Report(S.Trials, progress, DateTime.UtcNow);
        return Task.CompletedTask;
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (!Running)
        {
            await _watchdog.UnregisterReminderAsync();
            return;
        }
        _watchdog.Start(TimeSpan.Zero);
    }

    private async Task WatchdogTickAsync(CancellationToken cancellationToken)
    {
        if (!Running)
        {
            _watchdog.StopTimer();
            return;
        }
        if (S.Trials.All(t => t.State.IsTerminal()))
        {
            await FinishAsync(SweepState.Completed);
            return;
        }
        var (lost, pings) = SweepWatchdog.Round(SweepId, S.Trials, LiveSilos(), _logger);
        _progress.Forget(lost);
        _calls.Ping(pings);
        if (lost.Count > 0)
        {
            await WriteAsync();
        }
        await DispatchAsync();
        PublishProgress();
    }

    private Task DispatchAsync() => _dispatcher.DispatchAsync(DispatchOnceAsync, () => Running);

    private async Task DispatchOnceAsync()
    {
        var starts = Running ? TrialDispatcher.Place(S.Trials, LiveSilos(), DateTime.UtcNow) : [];
        if (starts.Count == 0)
        {
            return;
        }
        await WriteAsync();
        await Task.WhenAll(starts.Select(async start =>
        {
            if (await _calls.StartAsync(start.Trial, start.Silo) is { } progress)
            {
                _progress.Report(S.Trials, progress, DateTime.UtcNow);
            }
        }));
    }

    private async Task FinishAsync(SweepState state)
    {
        S.State = state;
        S.FinishedAt = DateTime.UtcNow;
        _report = null;
        await WriteAsync();
        await _watchdog.StopAsync();
        await RecordInRegistryAsync();
        LogFinished(SweepId, state);
        PublishProgress();
        _events.SweepFinished(SweepId, state, S.FinishedAt.Value - (S.LaunchedAt ?? S.FinishedAt.Value));
    }

    private Task RecordInRegistryAsync() => _calls.RecordInRegistryAsync(SweepProgressTracker.Summary(SweepId, S, DateTime.UtcNow));

    /// <summary>Persists the state, one write at a time; when it fails, <paramref name="undo"/> takes the change back.</summary>
    private async Task WriteAsync(Action? undo = null)
    {
        await _writes.WaitAsync();
        try
        {
            await _state.WriteStateAsync();
        }
        catch
        {
            undo?.Invoke();
            throw;
        }
        finally
        {
            _writes.Release();
        }
    }

    private IReadOnlyDictionary<SiloAddress, int> LiveSilos() => _capacity.Current(_options.DefaultSlotsPerSilo);

    /// <summary>Reports the counts and the ETA to the telemetry (<see cref="ISweepEvents.SweepProgress"/>).</summary>
    private SweepStatus PublishProgress()
    {
        var status = Status();
        _events.SweepProgress(SweepId, status.Counts, status.Eta);
        return status;
    }

    private SweepStatus Status() => _progress.Status(SweepId, S, LiveSilos().Values.Sum(), DateTime.UtcNow);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sweep {Sweep} launched with {Trials} trials")]
    private partial void LogLaunched(string sweep, int trials);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sweep {Sweep} finished: {State}")]
    private partial void LogFinished(string sweep, SweepState state);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Sweep {Sweep}: result of trial {Index} delivered again, ignored")]
    private partial void LogDuplicateResult(string sweep, int index);
}
