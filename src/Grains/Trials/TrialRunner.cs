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

namespace Sweep.Grains.Trials;

/// <summary>
/// Trains trials on <see cref="TrialRunnerOptions.EffectiveSlots"/> slots. Orchestration runs on the
/// thread pool; each training runs on a dedicated thread. Deterministic failures fail the trial;
/// transient ones are retried (Polly) from the last checkpoint. On silo shutdown, running trials
/// stop at their next checkpoint (within the grace period) so another silo resumes them from there.
/// </summary>
public sealed partial class TrialRunner : ILifecycleParticipant<ISiloLifecycle>
{
    private readonly ITrialExecutor _executor;
    private readonly ISweepEvents _events;
    private readonly ILogger<TrialRunner> _logger;
    private readonly TrialRunnerOptions _options;
    private readonly SemaphoreSlim _slots;
    private readonly ConcurrentDictionary<TrialKey, TrialRun> _runs = new();
    private volatile bool _stopping;

    public TrialRunner(ITrialExecutor executor, ISweepEvents events, IOptions<TrialRunnerOptions> options, ILogger<TrialRunner> logger)
    {
        _executor = executor;
        _events = events;
        _logger = logger;
        _options = options.Value;
        _slots = new SemaphoreSlim(_options.EffectiveSlots, _options.EffectiveSlots);
    }

    /// <summary>True while this silo runs (or queues) run <paramref name="runId"/> of the trial.</summary>
    public bool Owns(TrialKey trial, Guid runId) => _runs.TryGetValue(trial, out var run) && run.Id == runId && !run.Cancellation.IsCancellationRequested;

    /// <summary>Queues the run; returns at once. A run of the same trial already here is cancelled.</summary>
    public void Submit(TrialRun run)
    {
        if (_stopping)
        {
            LogRefusedWhileStopping(run.Key);
            run.Dispose();
            return;
        }
        _runs.AddOrUpdate(run.Key, run, (_, previous) =>
        {
            previous.Cancellation.Cancel();
            return run;
        });
        // Leave the caller's scheduler (a grain's): the run's continuations belong on the thread pool.
        run.Completion = Task.Run(() => ExecuteAsync(run));
    }

    /// <summary>Cancels the trial's run (mid-epoch when training), or only run <paramref name="runId"/> when given; no report follows.</summary>
    public void Cancel(TrialKey trial, Guid? runId = null)
    {
        if (_runs.TryGetValue(trial, out var run) && (runId is null || run.Id == runId))
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

    private async Task ExecuteAsync(TrialRun run)
    {
        var key = run.Key;
        var token = run.Cancellation.Token;
        var acquired = false;
        try
        {
            await _slots.WaitAsync(token).ConfigureAwait(false);
            acquired = true;
            run.Training = true;
            if (!await run.StartedAsync().ConfigureAwait(false))
            {
                return;
            }
            var result = await TrainWithRetriesAsync(run, token).ConfigureAwait(false);
            await run.CompletedAsync(result).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            LogStopped(key, run.StopAfterCheckpoint ? "silo shutting down after a checkpoint" : "cancelled");
        }
        catch (Exception e)
        {
            var reason = FailureReason(e);
            LogFailed(e, key, reason);
            try
            {
                await run.FailedAsync(reason, e.Message).ConfigureAwait(false);
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
            _runs.TryRemove(new KeyValuePair<TrialKey, TrialRun>(key, run));
            run.Dispose();
        }
    }

    private async Task<TrainingResult> TrainWithRetriesAsync(TrialRun run, CancellationToken token)
    {
        var work = run.Work;
        var latest = run.ResumeFrom;
        var pipeline = new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions
        {
            MaxRetryAttempts = Math.Max(1, _options.MaxTransientRetries),
            Delay = _options.RetryDelay,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            ShouldHandle = new PredicateBuilder().Handle<Exception>(e => _options.MaxTransientRetries > 0 && !IsDeterministic(e) && e is not OperationCanceledException),
            OnRetry = async args =>
            {
                var from = latest?.Epoch ?? 0;
                LogRetrying(args.Outcome.Exception!, work.Key, args.AttemptNumber + 1, from);
                _events.TrialRestarted(work.Key, "transient failure");
                if (!await run.RestartingAsync(from, args.Outcome.Exception!.Message).ConfigureAwait(false))
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
                        var epoch = TrialResults.Epoch(progress);
                        _events.EpochCompleted(work.Key, work.Architecture, epoch, epochClock.Elapsed, (progress.Step - lastStep) * work.BatchSize);
                        epochClock.Restart();
                        lastStep = progress.Step;
                        run.Progress(epoch, epochEnd: true);
                    },
                    OnSteps = progress => run.Progress(TrialResults.Epoch(progress), epochEnd: false),
                    OnCheckpoint = async (checkpoint, checkpointToken) =>
                    {
                        var owned = await run.CheckpointAsync(checkpoint, checkpointToken).ConfigureAwait(false);
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

    /// <summary>Deterministic failures fail the trial; any other is transient and retried.</summary>
    private static bool IsDeterministic(Exception exception) => exception is
        TrainingFailedException or ArgumentException or NotImplementedException or NotSupportedException or InvalidDataException or FormatException;

    /// <summary>Short machine-readable reason: the trainer's own ("diverged", "bad-data", ...) or one derived from the exception.</summary>
    private static string FailureReason(Exception exception) => exception switch
    {
        TrainingFailedException failed => failed.Reason,
        ArgumentException => "invalid-options",
        NotImplementedException or NotSupportedException => "not-supported",
        InvalidDataException or FormatException => "bad-data",
        // Also when transient retries are exhausted.
        _ => "error",
    };

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
