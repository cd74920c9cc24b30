using System.Collections.Concurrent;
using Sweep.Options;
using Sweep.Pruning.Data;
using Sweep.Pruning.Engine;
using Sweep.Pruning.Training;

namespace Sweep.Grains.Execution;

/// <summary>
/// Trains a trial with src/Pruning: a known dataset is fetched once per process (verified), any
/// dataset is loaded once per process (<see cref="DatasetCache"/>) and shared read-only by the trials.
/// </summary>
public sealed class PruningTrialExecutor : ITrialExecutor
{
    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _directories = new(StringComparer.Ordinal);

    public async Task PrepareAsync(TrialWork work, CancellationToken cancellationToken)
    {
        var directory = await DirectoryOf(work.Dataset).WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await Task.Run(() => DatasetCache.Get(directory), cancellationToken).ConfigureAwait(false);
        }
        catch (DatasetFormatException e)
        {
            // Corrupt or missing files: retrying reads the same bytes.
            throw new TrainingFailedException("bad-data", e.Message);
        }
    }

    public TrainingResult Run(TrialWork work, TrainingHooks hooks, TrainingCheckpoint? resumeFrom, CancellationToken cancellationToken)
    {
        var options = TrialOptions.FromSettings(work.Settings);
        if (!_directories.TryGetValue(work.Dataset, out var directory) || !directory.Value.IsCompletedSuccessfully)
        {
            throw new InvalidOperationException($"Trial {work.Key}: dataset '{work.Dataset}' was not prepared.");
        }
        var data = DatasetCache.Get(directory.Value.Result).ToTrainingData();
        // Every trial of a silo carries the silo's threads per trial, so the process-wide setting agrees with all of them.
        EngineSetup.UseThreads(options.Threads);
        return Trainer.Run(options, data, hooks, resumeFrom, cancellationToken);
    }

    private Task<string> DirectoryOf(string dataset)
    {
        var entry = _directories.GetOrAdd(dataset, name => new Lazy<Task<string>>(() => ResolveAsync(name)));
        if (entry.Value.IsFaulted || entry.Value.IsCanceled)
        {
            // A failed fetch is not cached: the next attempt tries again.
            _directories.TryRemove(new KeyValuePair<string, Lazy<Task<string>>>(dataset, entry));
        }
        return entry.Value;
    }

    private static async Task<string> ResolveAsync(string dataset)
    {
        if (KnownDatasets.Find(dataset) is { } known)
        {
            return await DatasetFetcher.Create(known.Name).EnsureAsync().ConfigureAwait(false);
        }
        if (!Directory.Exists(dataset))
        {
            throw new TrainingFailedException("bad-data", $"dataset directory '{dataset}' does not exist on this silo.");
        }
        return dataset;
    }
}
