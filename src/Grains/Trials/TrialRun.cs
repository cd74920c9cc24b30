using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Orleans.Storage;
using Polly;
using Polly.Retry;
using Sweep.Grains.Abstractions.Trials;
using Sweep.Grains.Execution;
using Sweep.Pruning.Training;

namespace Sweep.Grains.Trials;

/// <summary>
/// One run of a trial on this silo: what it trains, where it resumes, the runner's hold on it, and its reports to
/// the trial grain that owns it. Reports go through the grain's reference, so they run on the grain's scheduler
/// whatever thread sends them; progress goes through an ordered queue so the training thread never waits for it;
/// checkpoint writes are retried (Polly). The outcome stays here until the grain reads it on
/// <see cref="ITrialRunOwner.RunFinished"/>.
/// </summary>
public sealed class TrialRun : IDisposable
{
    private readonly ITrialRunOwner _owner;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline _checkpointWrites;
    private readonly Channel<(TrialEpoch Epoch, bool EpochEnd)> _progress = Channel.CreateUnbounded<(TrialEpoch, bool)>(new() { SingleReader = true });
    private readonly Task _pump;

    public TrialRun(IGrainFactory grains, TrialWork work, Guid id, TrainingCheckpoint? resumeFrom, int checkpointWriteAttempts, ILogger logger)
    {
        Work = work;
        Id = id;
        ResumeFrom = resumeFrom;
        _owner = grains.GetGrain<ITrialRunOwner>(work.Key.ToString());
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

    public TrialWork Work { get; }

    public TrialKey Key => Work.Key;

    public Guid Id { get; }

    public TrainingCheckpoint? ResumeFrom { get; }

    /// <summary>The trainer's result of a completed run; null until then, and for a failed run.</summary>
    public TrainingResult? Result { get; private set; }

    /// <summary>Why the run failed (a short reason and the message); null unless it failed.</summary>
    public (string Reason, string Message)? Failure { get; private set; }

    internal CancellationTokenSource Cancellation { get; } = new();

    internal Task? Completion { get; set; }

    /// <summary>Holds a slot (trains) rather than waiting for one.</summary>
    internal volatile bool Training;

    /// <summary>The silo is stopping: end the run after its next checkpoint, from which another silo resumes it.</summary>
    internal volatile bool StopAfterCheckpoint;

    internal Task<bool> StartedAsync() => _owner.RunStarted(Id);

    /// <summary>Non-blocking; delivered in order.</summary>
    internal void Progress(TrialEpoch epoch, bool epochEnd) => _progress.Writer.TryWrite((epoch, epochEnd));

    /// <summary>Persists the checkpoint (retrying transient storage failures); false when the trial no longer owns this run.</summary>
    internal async Task<bool> CheckpointAsync(TrainingCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        try
        {
            return await _checkpointWrites.ExecuteAsync(
                async _ => await _owner.RunCheckpoint(Id, checkpoint.Epoch, checkpoint.Step, checkpoint.Payload).ConfigureAwait(false),
                cancellationToken).ConfigureAwait(false);
        }
        catch (InconsistentStateException)
        {
            // Another activation of the trial wrote in between: this run is not the trial's any more.
            return false;
        }
    }

    /// <summary>A transient failure: the run starts again from <paramref name="fromEpoch"/>'s checkpoint.</summary>
    internal Task<bool> RestartingAsync(int fromEpoch, string reason) => _owner.RunRestarting(Id, fromEpoch, reason);

    internal Task CompletedAsync(TrainingResult result)
    {
        Result = result;
        return FinishedAsync();
    }

    internal Task FailedAsync(string reason, string message)
    {
        Failure = (reason, message);
        return FinishedAsync();
    }

    public void Dispose() => _progress.Writer.TryComplete();

    private async Task FinishedAsync()
    {
        // Every progress report reaches the grain before the end of the run does.
        _progress.Writer.TryComplete();
        await _pump.ConfigureAwait(false);
        await _owner.RunFinished(Id).ConfigureAwait(false);
    }

    private async Task PumpProgressAsync()
    {
        await foreach (var (epoch, epochEnd) in _progress.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                await _owner.RunProgress(Id, epoch, epochEnd).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                // Progress is advisory; the next report or the checkpoint carries the state.
                _logger.LogDebug(e, "Progress report of a trial run failed");
            }
        }
    }
}
