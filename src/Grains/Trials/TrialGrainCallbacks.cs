using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Orleans.Storage;
using Polly;
using Polly.Retry;
using Sweep.Grains.Abstractions.Trials;
using Sweep.Grains.Runner;
using Sweep.Pruning.Training;

namespace Sweep.Grains.Trials;

/// <summary>
/// The runner's callbacks for one run, delivered to the trial grain through its reference (so they
/// run on the grain's scheduler, wherever the caller's thread is). Progress goes through an ordered
/// queue so the training thread never waits for it; checkpoint writes are retried (Polly).
/// </summary>
internal sealed class TrialGrainCallbacks : ITrialRunCallbacks, IDisposable
{
    private readonly ITrialRunSink _sink;
    private readonly Guid _runId;
    private readonly string _silo;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline _checkpointWrites;
    private readonly Channel<(TrialEpoch Epoch, bool EpochEnd)> _progress = Channel.CreateUnbounded<(TrialEpoch, bool)>(new() { SingleReader = true });
    private readonly Task _pump;

    public TrialGrainCallbacks(IGrainFactory grains, TrialKey trial, Guid runId, string silo, int checkpointWriteAttempts, ILogger logger)
    {
        _sink = grains.GetGrain<ITrialRunSink>(trial.ToString());
        _runId = runId;
        _silo = silo;
        _logger = logger;
        _checkpointWrites = new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions
        {
            MaxRetryAttempts = Math.Max(1, checkpointWriteAttempts - 1),
            Delay = TimeSpan.FromMilliseconds(500),
            BackoffType = DelayBackoffType.Exponential,
            ShouldHandle = new PredicateBuilder().Handle<Exception>(e => e is not (InconsistentStateException or OperationCanceledException)),
        }).Build();
        _pump = Task.Run(PumpProgressAsync);
    }

    public Task<bool> StartedAsync(CancellationToken cancellationToken) => _sink.RunStarted(_runId, _silo);

    public void Progress(TrialEpoch epoch, bool epochEnd) => _progress.Writer.TryWrite((epoch, epochEnd));

    public async Task<bool> CheckpointAsync(TrainingCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        try
        {
            return await _checkpointWrites.ExecuteAsync(
                async _ => await _sink.RunCheckpoint(_runId, checkpoint.Epoch, checkpoint.Step, checkpoint.Payload).ConfigureAwait(false),
                cancellationToken).ConfigureAwait(false);
        }
        catch (InconsistentStateException)
        {
            // Another activation of the trial wrote in between: this run is not the trial's any more.
            return false;
        }
    }

    public Task<bool> RestartingAsync(int fromEpoch, string reason, CancellationToken cancellationToken) => _sink.RunRestarting(_runId, fromEpoch, reason);

    public async Task CompletedAsync(TrialResult result)
    {
        await DrainProgressAsync().ConfigureAwait(false);
        await _sink.RunCompleted(_runId, result).ConfigureAwait(false);
    }

    public async Task FailedAsync(string reason, string message)
    {
        await DrainProgressAsync().ConfigureAwait(false);
        await _sink.RunFailed(_runId, reason, message).ConfigureAwait(false);
    }

    public void Dispose() => _progress.Writer.TryComplete();

    private async Task DrainProgressAsync()
    {
        _progress.Writer.TryComplete();
        await _pump.ConfigureAwait(false);
    }

    private async Task PumpProgressAsync()
    {
        await foreach (var (epoch, epochEnd) in _progress.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                await _sink.RunProgress(_runId, epoch, epochEnd).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                // Progress is advisory; the next report or the checkpoint carries the state.
                _logger.LogDebug(e, "Progress report of a trial run failed");
            }
        }
    }
}
