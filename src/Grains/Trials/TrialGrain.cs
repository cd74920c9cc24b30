using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Sweep.Grains.Abstractions.Trials;
using Sweep.Grains.Events;
using Sweep.Grains.Execution;
using Sweep.Pruning.Training;

namespace Sweep.Grains.Trials;

/// <summary>
/// One trial: hands it to this silo's trial runner, persists its checkpoint each epoch so any silo
/// can resume it, and delivers its result to the coordinator until the delivery is acknowledged.
/// </summary>
public sealed partial class TrialGrain : Grain, ITrialGrain, ITrialRunOwner
{
    private readonly IPersistentState<TrialGrainState> _state;
    private readonly IPersistentState<TrialCheckpointState> _checkpoint;
    private readonly TrialRunner _runner;
    private readonly ISweepEvents _events;
    private readonly TrialRunnerOptions _options;
    private readonly ILogger<TrialGrain> _logger;
    private TrialKey _key;
    private TrialEpoch? _latest;
    private TrialRun? _run;
    private readonly string _silo;

    public TrialGrain(
        [PersistentState("trial", SweepStorage.Name)] IPersistentState<TrialGrainState> state,
        [PersistentState("checkpoint", SweepStorage.Name)] IPersistentState<TrialCheckpointState> checkpoint,
        TrialRunner runner, ILocalSiloDetails localSilo, ISweepEvents events, IOptions<TrialRunnerOptions> options, ILogger<TrialGrain> logger)
    {
        _state = state;
        _checkpoint = checkpoint;
        _runner = runner;
        _silo = localSilo.SiloAddress.ToParsableString();
        _events = events;
        _options = options.Value;
        _logger = logger;
    }

    private TrialGrainState S => _state.State;

    private string Architecture => S.Spec?.Setting(Sweep.Options.TrialOptionSchema.Architecture.Name) ?? "";

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _key = TrialKey.Parse(this.GetPrimaryKeyString());
        _latest = S.LastEpoch;
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // A run without its activation would report to a new one elsewhere: stop it; the watchdog resumes the trial.
        if (!S.State.IsTerminal())
        {
            _runner.Cancel(_key, S.RunId);
        }
        return Task.CompletedTask;
    }

    public async Task<TrialProgress> Start(TrialSpec spec)
    {
        await EnsureRunning(spec);
        return Progress();
    }

    public Task<TrialProgress> GetProgress() => Task.FromResult(Progress());

    public async Task Cancel()
    {
        if (S.Spec is null || S.State.IsTerminal())
        {
            return;
        }
        _runner.Cancel(_key);
        await FinishAsync(TrialResults.Failed(S, TrialState.Cancelled, "cancelled", "cancelled by request", DateTime.UtcNow));
    }

    public Task EnsureRunning(TrialSpec spec)
    {
        if (S.Spec is null)
        {
            if (spec.Index != _key.Index)
            {
                throw new ArgumentException($"Trial {_key} cannot start the spec of trial index {spec.Index}.", nameof(spec));
            }
            S.Spec = spec;
            S.State = TrialState.Pending;
        }
        return EnsureRunningCore();
    }

    public Task<bool> RunStarted(Guid runId)
    {
        if (!Owns(runId))
        {
            return Task.FromResult(false);
        }
        ChangeState(TrialState.Running);
        ReportToSweep();
        return Task.FromResult(true);
    }

    public Task<bool> RunProgress(Guid runId, TrialEpoch epoch, bool epochEnd)
    {
        if (!Owns(runId))
        {
            return Task.FromResult(false);
        }
        _latest = epoch;
        if (epochEnd)
        {
            S.LastEpoch = epoch;
        }
        ReportToSweep();
        return Task.FromResult(true);
    }

    public async Task<bool> RunCheckpoint(Guid runId, int epoch, long step, byte[] payload)
    {
        if (!Owns(runId))
        {
            return false;
        }
        var clock = System.Diagnostics.Stopwatch.StartNew();
        _checkpoint.State.Epoch = epoch;
        _checkpoint.State.Step = step;
        _checkpoint.State.Payload = payload;
        _checkpoint.State.SavedAt = DateTime.UtcNow;
        await _checkpoint.WriteStateAsync();
        _events.CheckpointSaved(_key, epoch, payload.LongLength, clock.Elapsed);
        ReportToSweep();
        return true;
    }

    public async Task<bool> RunRestarting(Guid runId, int fromEpoch, string reason)
    {
        if (!Owns(runId))
        {
            return false;
        }
        S.Attempts++;
        S.ResumedFromEpochs.Add(fromEpoch);
        await _state.WriteStateAsync();
        return true;
    }

    public async Task RunFinished(Guid runId)
    {
        // Only the activation that submitted the run holds it; for any other the run is lost, and the watchdog's
        // ping starts the trial again.
        if (!Owns(runId) || _run is not { } run || run.Id != runId)
        {
            return;
        }
        await FinishAsync(run.Failure is { } failure
            ? TrialResults.Failed(S, TrialState.Failed, failure.Reason, failure.Message, DateTime.UtcNow)
            : TrialResults.Completed(S, run.Result!, DateTime.UtcNow));
    }

    private bool Owns(Guid runId) => S.Spec is not null && runId == S.RunId && !S.State.IsTerminal();

    private async Task EnsureRunningCore()
    {
        if (S.State.IsTerminal())
        {
            if (!S.ResultDelivered)
            {
                await DeliverAsync();
            }
            return;
        }
        if (S.RunId == Guid.Empty || !_runner.Owns(_key, S.RunId))
        {
            await StartRunAsync();
        }
    }

    /// <summary>A new run of the trial on this silo, from its last checkpoint if it has one.</summary>
    private async Task StartRunAsync()
    {
        TrainingCheckpoint? resumeFrom = _checkpoint.State.Payload is { } payload
            ? new TrainingCheckpoint(_checkpoint.State.Epoch, _checkpoint.State.Step, payload)
            : null;
        var restarted = S.Attempts > 0;
        var moved = S.Silos.Count > 0 && S.Silos[^1] != _silo;
        RecordAttempt(resumeFrom);
        // Persist the new run id first: callbacks of an older run (a silo thought dead) are refused from now on.
        await _state.WriteStateAsync();
        if (restarted)
        {
            LogResuming(_key, resumeFrom?.Epoch ?? 0, S.Attempts);
            // Counted here only (not also by the coordinator that saw the silo go): one restart, one count.
            _events.TrialRestarted(_key, moved ? "silo lost" : "run lost");
        }
        var settings = new Dictionary<string, string>(S.Spec!.Settings, StringComparer.Ordinal)
        {
            [Sweep.Options.TrialOptionSchema.Threads.Name] = _options.ThreadsPerTrial.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        _run = new TrialRun(GrainFactory, new TrialWork(_key, S.Spec.Dataset, settings), S.RunId, resumeFrom, _options.CheckpointWriteAttempts, _logger);
        _runner.Submit(_run);
        DelayDeactivation(TimeSpan.FromDays(1));
        ReportToSweep();
    }

    /// <summary>The new run owns the trial from now on; its attempt, resume point and silo join the trial's history.</summary>
    private void RecordAttempt(TrainingCheckpoint? resumeFrom)
    {
        S.RunId = Guid.NewGuid();
        if (S.Attempts++ > 0)
        {
            // Every restart is listed, also one from the start (no checkpoint yet): epoch 0.
            S.ResumedFromEpochs.Add(resumeFrom?.Epoch ?? 0);
        }
        if (S.Silos.Count == 0 || S.Silos[^1] != _silo)
        {
            S.Silos.Add(_silo);
        }
        S.StartedAt ??= DateTime.UtcNow;
        ChangeState(TrialState.Queued);
    }

    private async Task FinishAsync(TrialResult result)
    {
        S.Result = result;
        _run = null;
        S.ResultDelivered = false;
        ChangeState(result.State);
        await _state.WriteStateAsync();
        if (_checkpoint.State.Payload is not null)
        {
            await _checkpoint.ClearStateAsync();
        }
        await DeliverAsync();
        DeactivateOnIdle();
    }

    private async Task DeliverAsync()
    {
        try
        {
            await GrainFactory.GetGrain<ISweepCoordinator>(_key.SweepId).DeliverResult(S.Result!);
            S.ResultDelivered = true;
            await _state.WriteStateAsync();
        }
        catch (Exception e)
        {
            // Kept undelivered: the coordinator's watchdog pings the trial, which delivers again.
            LogDeliveryFailed(e, _key);
        }
    }

    private void ChangeState(TrialState state)
    {
        if (S.State == state)
        {
            return;
        }
        var from = S.State;
        S.State = state;
        _events.TrialStateChanged(_key, Architecture, from, state);
    }

    private void ReportToSweep() => GrainFactory.GetGrain<ISweepCoordinator>(_key.SweepId).ReportProgress(Progress()).Ignore();

    private TrialProgress Progress() => new()
    {
        Key = _key,
        State = S.State,
        Epochs = S.Spec is null ? 0 : new TrialWork(_key, S.Spec.Dataset, S.Spec.Settings).Epochs,
        Latest = _latest,
        LastTestError = S.LastEpoch?.TestError,
        Silo = S.State is TrialState.Queued or TrialState.Running ? _silo : null,
        ResumedFromEpochs = S.ResumedFromEpochs.ToArray(),
        UpdatedAt = DateTime.UtcNow,
        FailureReason = S.Result?.FailureReason,
        CheckpointEpoch = _checkpoint.State.Payload is null ? 0 : _checkpoint.State.Epoch,
        Attempts = S.Attempts,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Trial {Trial} resumes from epoch {Epoch} (attempt {Attempt})")]
    private partial void LogResuming(TrialKey trial, int epoch, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Trial {Trial} could not deliver its result; the watchdog will ask again")]
    private partial void LogDeliveryFailed(Exception exception, TrialKey trial);
}
