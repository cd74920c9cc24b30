using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Sweep.Grains.Abstractions.Trials;
using Sweep.Grains.Events;
using Sweep.Grains.Execution;
using Sweep.Pruning.Training;

namespace Sweep.Grains.Runner;

/// <summary>
/// Trains trials on <see cref="TrialRunnerOptions.EffectiveSlots"/> slots. Orchestration runs on the
/// thread pool; each training runs on a dedicated thread. Deterministic failures fail the trial;
/// transient ones are retried (Polly) from the last checkpoint. On silo shutdown, running trials
/// stop at their next checkpoint (within the grace period) so another silo resumes them from there.
/// </summary>
public sealed partial class TrialRunner : ITrialRunner, ILifecycleParticipant<ISiloLifecycle>
{
    private readonly ITrialExecutor _executor;
    private readonly ISweepEvents _events;
    private readonly ILogger<TrialRunner> _logger;
    private readonly TrialRunnerOptions _options;
    private readonly SemaphoreSlim _slots;
    private readonly ConcurrentDictionary<TrialKey, ActiveRun> _runs = new();
    private volatile bool _stopping;

    public TrialRunner(ITrialExecutor executor, ISweepEvents events, IOptions<TrialRunnerOptions> options, ILogger<TrialRunner> logger)
    {
        _executor = executor;
        _events = events;
        _logger = logger;
        _options = options.Value;
        Slots = _options.EffectiveSlots;
        _slots = new SemaphoreSlim(Slots, Slots);
    }

    public int Slots { get; }

    public (int Running, int Queued) Load
    {
        get
        {
            var running = _runs.Values.Count(r => r.Training);
            return (running, _runs.Count - running);
        }
    }

    public bool Owns(TrialKey trial, Guid runId) => _runs.TryGetValue(trial, out var run) && run.RunId == runId && !run.Cancellation.IsCancellationRequested;

    public void Submit(TrialRunRequest request)
    {
        if (_stopping)
        {
            LogRefusedWhileStopping(request.Work.Key);
            return;
        }
        var run = new ActiveRun(request);
        _runs.AddOrUpdate(request.Work.Key, run, (_, previous) =>
        {
            previous.Cancellation.Cancel();
            return run;
        });
        // Leave the caller's scheduler (a grain's): the run's continuations belong on the thread pool.
        run.Completion = Task.Run(() => ExecuteAsync(run));
    }

    public void Cancel(TrialKey trial, Guid? runId = null)
    {
        if (_runs.TryGetValue(trial, out var run) && (runId is null || run.RunId == runId))
        {
            run.Cancellation.Cancel();
        }
    }

    public void Participate(ISiloLifecycle lifecycle) =>
        // Stopping at the Active stage happens before grains stop processing calls, so checkpoints still persist.
        lifecycle.Subscribe(nameof(TrialRunner), ServiceLifecycleStage.Active, _ => Task.CompletedTask, StopAsync);

    /// <summary>Lets running trials reach their next checkpoint (up to the grace period), then cancels whatever is left.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        var runs = _runs.Values.ToArray();
        if (runs.Length == 0)
        {
            return;
        }
        LogStopping(runs.Length, _options.ShutdownGrace);
        foreach (var run in runs)
        {
            if (run.Training)
            {
                run.StopAfterCheckpoint = true;
            }
            else
            {
                run.Cancellation.Cancel();
            }
        }
        var all = Task.WhenAll(runs.Select(r => r.Completion ?? Task.CompletedTask));
        await Task.WhenAny(all, Task.Delay(_options.ShutdownGrace, cancellationToken)).ConfigureAwait(false);
        foreach (var run in runs)
        {
            run.Cancellation.Cancel();
        }
        await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(5), CancellationToken.None)).ConfigureAwait(false);
    }

    private async Task ExecuteAsync(ActiveRun run)
    {
        var key = run.Request.Work.Key;
        var token = run.Cancellation.Token;
        var acquired = false;
        try
        {
            await _slots.WaitAsync(token).ConfigureAwait(false);
            acquired = true;
            run.Training = true;
            if (!await run.Request.Callbacks.StartedAsync(token).ConfigureAwait(false))
            {
                return;
            }
            var result = await TrainWithRetriesAsync(run, token).ConfigureAwait(false);
            await run.Request.Callbacks.CompletedAsync(TrialResultMapping.ToResult(key, result)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            LogStopped(key, run.StopAfterCheckpoint ? "silo shutting down after a checkpoint" : "cancelled");
        }
        catch (Exception e)
        {
            var reason = TrialFailures.Reason(e);
            LogFailed(e, key, reason);
            try
            {
                await run.Request.Callbacks.FailedAsync(reason, e.Message).ConfigureAwait(false);
            }
            catch (Exception report)
            {
                // The trial grain is unreachable: it stays started and the coordinator's watchdog restarts it.
                LogReportFailed(report, key);
            }
        }
        finally
        {
            if (acquired)
            {
                _slots.Release();
            }
            _runs.TryRemove(new KeyValuePair<TrialKey, ActiveRun>(key, run));
            (run.Request.Callbacks as IDisposable)?.Dispose();
        }
    }

    private async Task<TrainingResult> TrainWithRetriesAsync(ActiveRun run, CancellationToken token)
    {
        var work = run.Request.Work;
        var latest = run.Request.ResumeFrom;
        var pipeline = new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions
        {
            MaxRetryAttempts = Math.Max(1, _options.MaxTransientRetries),
            Delay = _options.RetryDelay,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            ShouldHandle = new PredicateBuilder().Handle<Exception>(e => _options.MaxTransientRetries > 0 && !TrialFailures.IsDeterministic(e) && e is not OperationCanceledException),
            OnRetry = async args =>
            {
                var from = latest?.Epoch ?? 0;
                LogRetrying(args.Outcome.Exception!, work.Key, args.AttemptNumber + 1, from);
                _events.TrialRestarted(work.Key, "transient failure");
                if (!await run.Request.Callbacks.RestartingAsync(from, args.Outcome.Exception!.Message, token).ConfigureAwait(false))
                {
                    await run.Cancellation.CancelAsync().ConfigureAwait(false);
                }
            },
        }).Build();

        return await pipeline.ExecuteAsync(async ct =>
        {
            await _executor.PrepareAsync(work, ct).ConfigureAwait(false);
            var resumeFrom = latest;
            return await RunOnDedicatedThreadAsync($"sweep trial {work.Key}", () =>
            {
                using var scope = _events.TrialRunStarting(work.Key, work.Architecture, resumeFrom?.Epoch ?? 0);
                var epochClock = Stopwatch.StartNew();
                long lastStep = resumeFrom?.Step ?? 0;
                var hooks = new TrainingHooks
                {
                    OnEpoch = progress =>
                    {
                        var epoch = TrialResultMapping.ToEpoch(progress);
                        _events.EpochCompleted(work.Key, work.Architecture, epoch, epochClock.Elapsed, (progress.Step - lastStep) * work.BatchSize);
                        epochClock.Restart();
                        lastStep = progress.Step;
                        run.Request.Callbacks.Progress(epoch, epochEnd: true);
                    },
                    OnSteps = progress => run.Request.Callbacks.Progress(TrialResultMapping.ToEpoch(progress), epochEnd: false),
                    OnCheckpoint = async (checkpoint, checkpointToken) =>
                    {
                        var owned = await run.Request.Callbacks.CheckpointAsync(checkpoint, checkpointToken).ConfigureAwait(false);
                        latest = checkpoint;
                        if (!owned || run.StopAfterCheckpoint)
                        {
                            await run.Cancellation.CancelAsync().ConfigureAwait(false);
                        }
                    },
                };
                return _executor.Run(work, hooks, resumeFrom, ct);
            }).ConfigureAwait(false);
        }, token).ConfigureAwait(false);
    }

    private static Task<T> RunOnDedicatedThreadAsync<T>(string name, Func<T> body)
    {
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                completion.SetResult(body());
            }
            catch (Exception e)
            {
                completion.SetException(e);
            }
        })
        {
            IsBackground = true,
            Name = name,
        };
        thread.Start();
        return completion.Task;
    }

    private sealed class ActiveRun(TrialRunRequest request)
    {
        public TrialRunRequest Request { get; } = request;
        public Guid RunId => Request.RunId;
        public CancellationTokenSource Cancellation { get; } = new();
        public Task? Completion { get; set; }
        public volatile bool Training;
        public volatile bool StopAfterCheckpoint;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Trial {Trial} not started: the silo is shutting down")]
    private partial void LogRefusedWhileStopping(TrialKey trial);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping: {Count} trials get up to {Grace} to reach their next checkpoint")]
    private partial void LogStopping(int count, TimeSpan grace);

    [LoggerMessage(Level = LogLevel.Information, Message = "Trial {Trial} stopped: {Why}")]
    private partial void LogStopped(TrialKey trial, string why);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Trial {Trial} failed ({Reason})")]
    private partial void LogFailed(Exception exception, TrialKey trial, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Trial {Trial} could not report its failure; the coordinator will restart it")]
    private partial void LogReportFailed(Exception exception, TrialKey trial);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Trial {Trial}: transient failure, attempt {Attempt} resumes from epoch {Epoch}")]
    private partial void LogRetrying(Exception exception, TrialKey trial, int attempt, int epoch);
}
