using Sweep.Pruning.Data;
using Sweep.Pruning.Training;

namespace Sweep.Client.Commands;

/// <summary>
/// Loads the training data for <c>sweep train</c>: a directory of IDX files the user names, or
/// MNIST fetched and verified into the default data directory when missing.
/// </summary>
internal static class TrainDataAdapter
{
    public static async Task<TrainingData> LoadAsync(string? directory, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var dir = directory ?? await DatasetFetcher.Create("mnist").EnsureAsync(null, progress, cancellationToken);
        return await Task.Run(() => DatasetCache.Get(dir).ToTrainingData(), cancellationToken);
    }
}
