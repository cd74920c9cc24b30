using Orleans.Concurrency;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime.Placement;
using Sweep.Grains.Abstractions.Reports;
using Sweep.Grains.Abstractions.Specs;
using Sweep.Grains.Abstractions.Sweeps;
using Sweep.Grains.Abstractions.Trials;
using Sweep.Grains.Events;
using Sweep.Grains.Execution;
using Sweep.Grains.Hosting;
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
    private const string WatchdogReminder = "watchdog";

    private readonly IPersistentState<SweepGrainState> _state;
    private readonly ClusterCapacity _capacity;
    private readonly ITrialSettingsCheck? _settingsCheck;
    private readonly ISweepEvents _events;
    private readonly SweepCoordinatorOptions _options;
    private readonly ILogger<SweepGrain> _logger;
    private readonly SemaphoreSlim _writes = new(1, 1);
    private readonly Dictionary<int, TrialProgress> _progress = [];
    private readonly Dictionary<int, DateTime> _lastHeard = [];
    private IGrainTimer? _watchdog;
    private SweepReport? _report;
    private bool _dispatching;
    private bool _dispatchAgain;

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
        _settingsCheck = settingsChecks.LastOrDefault();
    }

    private SweepGrainState S => _state.State;

    private string SweepId => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (S.State == SweepState.Running)
        {
            StartWatchdog(TimeSpan.FromMilliseconds(200));
        }
        return Task.CompletedTask;
    }

    public async Task<SweepStatus> Launch(SweepSpec spec)
    {
        if (SweepIds.Check(SweepId) is { } badId)
        {
            throw new ArgumentException($"Sweep '{SweepId}' cannot be launched: {badId}.", nameof(spec));
        }
        var rules = new SweepSpecRules
        {
            MaxTrials = _options.MaxTrials,
            KnownDatasets = _options.KnownDatasets.ToArray(),
            CheckDatasetDirectory = _options.CheckDatasetDirectory,
            SettingsValidator = _settingsCheck is null ? null : _settingsCheck.Check,
        };
        var check = SweepSpecValidator.Check(spec, rules);
        if (S.Spec is not null)
        {
            if (S.CanonicalSpec == SweepSpecValidator.CanonicalText(check.Spec))
            {
                return Status();
            }
            throw new SweepSpecException($"sweep '{SweepId}' was already launched ({S.LaunchedAt:u}) with a different spec; launch under a new id");
        }
        var trials = check.ThrowIfInvalid();

        // Everything is checked: from here the sweep exists.
        S.Spec = check.Spec;
        S.CanonicalSpec = SweepSpecValidator.CanonicalText(check.Spec);
        S.State = SweepState.Running;
        S.LaunchedAt = DateTime.UtcNow;
        S.Trials = trials.Select(t => new TrialRecord { Spec = t, State = TrialState.Pending }).ToList();
        try
        {
            await WriteAsync();
        }
        catch
        {
            S.Spec = null;
            S.CanonicalSpec = null;
            S.State = SweepState.NotLaunched;
            S.Trials = [];
            throw;
        }
        LogLaunched(SweepId, trials.Count);
        _events.SweepLaunched(SweepId, check.Spec.Name, trials.Count);
        await this.RegisterOrUpdateReminder(WatchdogReminder, _options.ReminderPeriod, _options.ReminderPeriod);
        StartWatchdog(_options.WatchdogPeriod);
        await RecordInRegistryAsync();
        await DispatchAsync();
        return PublishProgress();
    }

    public async Task Cancel()
    {
        if (S.State != SweepState.Running)
        {
            return;
        }
        var started = S.Trials.Where(t => t.Started).ToArray();
        foreach (var record in S.Trials.Where(t => !t.State.IsTerminal()))
        {
            record.State = TrialState.Cancelled;
            record.Result = new TrialResult
            {
                Index = record.Index, Grid = record.Spec.Grid, Settings = record.Spec.Settings,
                State = TrialState.Cancelled, FailureReason = "cancelled", FailureMessage = "the sweep was cancelled",
                FinishedAt = DateTime.UtcNow,
            };
        }
        await FinishAsync(SweepState.Cancelled);
        await Task.WhenAll(started.Select(async record =>
        {
            try
            {
                await GrainFactory.GetGrain<ITrialGrain>(Key(record).ToString()).Cancel();
            }
            catch (Exception e)
            {
                LogTrialCallFailed(e, Key(record), "cancel");
            }
        }));
    }

    public Task<SweepStatus> GetStatus() => Task.FromResult(Status());

    public Task<IReadOnlyList<TrialResult>> GetResults() =>
        Task.FromResult<IReadOnlyList<TrialResult>>(S.Trials.Where(t => t.Result is not null).Select(t => t.Result!).ToArray());

    public Task<SweepReport> GetReport()
    {
        _report ??= SweepAnalysis.Analyze(S.Spec, SweepId, S.Trials.Count, S.Trials.Where(t => t.Result is not null).Select(t => t.Result!).ToArray());
        return Task.FromResult(_report);
    }

    public Task<SweepSpec?> GetSpec() => Task.FromResult(S.Spec);

    public async Task DeliverResult(TrialResult result)
    {
        if (result.Index < 0 || result.Index >= S.Trials.Count)
        {
            throw new ArgumentException($"Sweep '{SweepId}' has no trial {result.Index} (it has {S.Trials.Count}).", nameof(result));
        }
        if (!result.State.IsTerminal())
        {
            throw new ArgumentException($"Sweep '{SweepId}': trial {result.Index} delivered a result in state {result.State}.", nameof(result));
        }
        var record = S.Trials[result.Index];
        if (record.Result is not null)
        {
            LogDuplicateResult(SweepId, result.Index);
            return;
        }
        var (previousState, previousSilo) = (record.State, record.Silo);
        record.Result = result;
        record.State = result.State;
        record.Silo = null;
        try
        {
            await WriteAsync();
        }
        catch
        {
            // Not recorded: the trial delivers again.
            record.Result = null;
            (record.State, record.Silo) = (previousState, previousSilo);
            throw;
        }
        _report = null;
        _progress.Remove(result.Index);
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
        if (progress.Key.Index < 0 || progress.Key.Index >= S.Trials.Count)
        {
            return Task.CompletedTask;
        }
        var record = S.Trials[progress.Key.Index];
        if (record.State.IsTerminal())
        {
            return Task.CompletedTask;
        }
        _progress[progress.Key.Index] = progress;
        _lastHeard[progress.Key.Index] = DateTime.UtcNow;
        if (progress.State is TrialState.Queued or TrialState.Running)
        {
            record.State = progress.State;
            record.Silo = progress.Silo ?? record.Silo;
        }
        return Task.CompletedTask;
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (S.State != SweepState.Running)
        {
            await UnregisterWatchdogReminderAsync();
            return;
        }
        StartWatchdog(TimeSpan.Zero);
    }

    private void StartWatchdog(TimeSpan dueTime)
    {
        _watchdog ??= this.RegisterGrainTimer(WatchdogTickAsync, new GrainTimerCreationOptions(dueTime, _options.WatchdogPeriod) { Interleave = true, KeepAlive = true });
    }

    private async Task WatchdogTickAsync(CancellationToken cancellationToken)
    {
        if (S.State != SweepState.Running)
        {
            _watchdog?.Dispose();
            _watchdog = null;
            return;
        }
        if (S.Trials.All(t => t.State.IsTerminal()))
        {
            await FinishAsync(SweepState.Completed);
            return;
        }
        var live = _capacity.Current(_options.DefaultSlotsPerSilo);
        var lost = false;
        foreach (var record in S.Trials.Where(t => t.Started))
        {
            var silo = record.Silo is null ? null : SiloAddress.FromParsableString(record.Silo);
            if (silo is null || !live.ContainsKey(silo))
            {
                LogTrialLost(Key(record), record.Silo ?? "(unknown)");
                record.State = TrialState.Pending;
                record.Silo = null;
                record.Restarts++;
                _progress.Remove(record.Index);
                lost = true;
                continue;
            }
            // Starts a trial whose start call was lost (it has a slot counted on a live silo, so nothing
            // else would), resumes a run lost with its activation, re-delivers an undelivered result.
            RequestContext.Set(IPlacementDirector.PlacementHintKey, silo);
            GrainFactory.GetGrain<ITrialRunSink>(Key(record).ToString()).EnsureRunning(record.Spec).Ignore();
            RequestContext.Remove(IPlacementDirector.PlacementHintKey);
        }
        if (lost)
        {
            await WriteAsync();
        }
        await DispatchAsync();
        PublishProgress();
    }

    private async Task DispatchAsync()
    {
        if (_dispatching)
        {
            _dispatchAgain = true;
            return;
        }
        _dispatching = true;
        try
        {
            do
            {
                _dispatchAgain = false;
                await DispatchOnceAsync();
            }
            while (_dispatchAgain && S.State == SweepState.Running);
        }
        finally
        {
            _dispatching = false;
        }
    }

    private async Task DispatchOnceAsync()
    {
        if (S.State != SweepState.Running)
        {
            return;
        }
        var capacity = _capacity.Current(_options.DefaultSlotsPerSilo);
        if (capacity.Count == 0)
        {
            return;
        }
        var busy = capacity.Keys.ToDictionary(s => s, _ => 0);
        foreach (var record in S.Trials.Where(t => t.Started && t.Silo is not null))
        {
            var silo = SiloAddress.FromParsableString(record.Silo!);
            if (busy.TryGetValue(silo, out var count))
            {
                busy[silo] = count + 1;
            }
        }
        var starts = new List<(TrialRecord Record, SiloAddress Silo)>();
        foreach (var record in S.Trials.Where(t => t.State == TrialState.Pending))
        {
            var (silo, free) = capacity.Select(c => (c.Key, Free: c.Value - busy[c.Key])).MaxBy(c => c.Free);
            if (free <= 0)
            {
                break;
            }
            busy[silo]++;
            record.State = TrialState.Queued;
            record.Silo = silo.ToParsableString();
            record.DispatchedAt = DateTime.UtcNow;
            _lastHeard[record.Index] = DateTime.UtcNow;
            starts.Add((record, silo));
        }
        if (starts.Count == 0)
        {
            return;
        }
        await WriteAsync();
        await Task.WhenAll(starts.Select(s => StartTrialAsync(s.Record, s.Silo)));
    }

    private async Task StartTrialAsync(TrialRecord record, SiloAddress silo)
    {
        RequestContext.Set(IPlacementDirector.PlacementHintKey, silo);
        try
        {
            var progress = await GrainFactory.GetGrain<ITrialGrain>(Key(record).ToString()).Start(record.Spec);
            await ReportProgress(progress);
        }
        catch (Exception e)
        {
            // Left started: the watchdog pings it, or restarts it if its silo is gone.
            LogTrialCallFailed(e, Key(record), "start");
        }
        finally
        {
            RequestContext.Remove(IPlacementDirector.PlacementHintKey);
        }
    }

    private async Task FinishAsync(SweepState state)
    {
        S.State = state;
        S.FinishedAt = DateTime.UtcNow;
        _report = null;
        await WriteAsync();
        _watchdog?.Dispose();
        _watchdog = null;
        await UnregisterWatchdogReminderAsync();
        await RecordInRegistryAsync();
        LogFinished(SweepId, state);
        PublishProgress();
        _events.SweepFinished(SweepId, state, S.FinishedAt.Value - (S.LaunchedAt ?? S.FinishedAt.Value));
    }

    private async Task UnregisterWatchdogReminderAsync()
    {
        try
        {
            if (await this.GetReminder(WatchdogReminder) is { } reminder)
            {
                await this.UnregisterReminder(reminder);
            }
        }
        catch (Exception e)
        {
            LogReminderFailed(e, SweepId);
        }
    }

    private async Task RecordInRegistryAsync()
    {
        var counts = Counts();
        try
        {
            await GrainFactory.GetGrain<ISweepRegistryGrain>(ISweepRegistryGrain.Key).Record(new SweepSummary
            {
                SweepId = SweepId,
                Name = S.Spec?.Name ?? "",
                State = S.State,
                LaunchedAt = S.LaunchedAt ?? DateTime.UtcNow,
                FinishedAt = S.FinishedAt,
                Trials = S.Trials.Count,
                Completed = counts.Completed,
                Failed = counts.Failed,
            });
        }
        catch (Exception e)
        {
            LogRegistryFailed(e, SweepId);
        }
    }

    private async Task WriteAsync()
    {
        await _writes.WaitAsync();
        try
        {
            await _state.WriteStateAsync();
        }
        finally
        {
            _writes.Release();
        }
    }

    private TrialKey Key(TrialRecord record) => new(SweepId, record.Index);

    /// <summary>Reports the counts and the ETA to the telemetry (<see cref="ISweepEvents.SweepProgress"/>).</summary>
    private SweepStatus PublishProgress()
    {
        var status = Status();
        _events.SweepProgress(SweepId, status.Counts, status.Eta);
        return status;
    }

    private TrialCounts Counts() => new()
    {
        Pending = S.Trials.Count(t => t.State == TrialState.Pending),
        Queued = S.Trials.Count(t => t.State == TrialState.Queued),
        Running = S.Trials.Count(t => t.State == TrialState.Running),
        Completed = S.Trials.Count(t => t.State == TrialState.Completed),
        Failed = S.Trials.Count(t => t.State == TrialState.Failed),
        Cancelled = S.Trials.Count(t => t.State == TrialState.Cancelled),
    };

    private SweepStatus Status()
    {
        var now = DateTime.UtcNow;
        long trained = 0, remaining = 0, total = 0;
        var trials = new List<TrialStatus>(S.Trials.Count);
        foreach (var record in S.Trials)
        {
            var epochs = Epochs(record.Spec);
            _progress.TryGetValue(record.Index, out var progress);
            var done = record.State == TrialState.Completed ? epochs : Math.Min(epochs, progress?.EpochsDone ?? 0);
            total += epochs;
            trained += done;
            if (!record.State.IsTerminal())
            {
                remaining += epochs - done;
            }
            var heard = _lastHeard.TryGetValue(record.Index, out var at) ? at : record.DispatchedAt ?? now;
            // The trial's own count covers the restarts the coordinator did not see (a ping resumed it elsewhere, a
            // transient retry); the coordinator's covers a trial lost before its grain ever started a run.
            var attempts = record.Result?.Attempts ?? progress?.Attempts ?? 0;
            trials.Add(new TrialStatus
            {
                Spec = record.Spec,
                State = record.State,
                Progress = progress,
                Restarts = Math.Max(record.Restarts, attempts - 1),
                Stalled = record.Started && now - heard > _options.StallTimeout,
                FailureReason = record.Result?.FailureReason,
            });
        }
        TimeSpan? eta = null;
        if (S.State == SweepState.Running && trained > 0 && S.LaunchedAt is { } launched)
        {
            eta = TimeSpan.FromSeconds((now - launched).TotalSeconds / trained * remaining);
        }
        return new SweepStatus
        {
            SweepId = SweepId,
            Name = S.Spec?.Name ?? "",
            State = S.State,
            LaunchedAt = S.LaunchedAt,
            FinishedAt = S.FinishedAt,
            Counts = Counts(),
            Trials = trials,
            EpochsDone = trained,
            EpochsTotal = total,
            Eta = eta,
            ClusterSlots = _capacity.Current(_options.DefaultSlotsPerSilo).Values.Sum(),
        };
    }

    private static int Epochs(TrialSpec spec) =>
        int.TryParse(spec.Setting(TrialOptionCatalog.Epochs), System.Globalization.CultureInfo.InvariantCulture, out var epochs) ? epochs : TrialOptionCatalog.DefaultEpochs;

    [LoggerMessage(Level = LogLevel.Information, Message = "Sweep {Sweep} launched with {Trials} trials")]
    private partial void LogLaunched(string sweep, int trials);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sweep {Sweep} finished: {State}")]
    private partial void LogFinished(string sweep, SweepState state);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Sweep {Sweep}: result of trial {Index} delivered again, ignored")]
    private partial void LogDuplicateResult(string sweep, int index);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Trial {Trial} lost with silo {Silo}; restarting it on a live silo")]
    private partial void LogTrialLost(TrialKey trial, string silo);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Trial {Trial}: {Call} failed; the watchdog retries")]
    private partial void LogTrialCallFailed(Exception exception, TrialKey trial, string call);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweep {Sweep}: watchdog reminder could not be removed")]
    private partial void LogReminderFailed(Exception exception, string sweep);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweep {Sweep}: the sweep registry could not be updated")]
    private partial void LogRegistryFailed(Exception exception, string sweep);
}
