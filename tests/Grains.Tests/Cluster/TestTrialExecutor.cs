using System.Collections.Concurrent;
using System.Globalization;
using Sweep.Grains.Abstractions.Trials;
using Sweep.Grains.Execution;
using Sweep.Options;
using Sweep.Pruning.Training;

namespace Sweep.Grains.Tests.Cluster;

/// <summary>How the test executor behaves for one sweep (keyed by sweep id).</summary>
public sealed class TrialScript
{
    public TimeSpan EpochDuration { get; init; } = TimeSpan.FromMilliseconds(60);

    /// <summary>Seeds whose trials diverge at epoch 2 (a deterministic failure).</summary>
    public HashSet<string> DivergingSeeds { get; init; } = [];

    /// <summary>Seeds whose trials hit one transient failure at epoch 2 of their first run.</summary>
    public HashSet<string> TransientSeeds { get; init; } = [];

    /// <summary>Trial indices whose first start call is lost on its way (see <see cref="LostStartCalls"/>).</summary>
    public HashSet<int> LoseFirstStartOf { get; init; } = [];

    public ConcurrentDictionary<int, int> StartsLost { get; } = new();

    /// <summary>Every run started: trial, epoch it started from, silo process-local thread name.</summary>
    public ConcurrentQueue<(TrialKey Trial, int FromEpoch, string Thread)> Runs { get; } = new();

    public ConcurrentDictionary<TrialKey, int> TransientFailuresDone { get; } = new();
}

/// <summary>
/// Test-only stand-in for the trainer (the in-process cluster tests exercise orchestration, not
/// training): sleeps per epoch, reports progress and checkpoints through the hooks like the
/// trainer, honours cancellation, and returns widths that depend on the seed only.
/// </summary>
public sealed class TestTrialExecutor : ITrialExecutor
{
    public static ConcurrentDictionary<string, TrialScript> Scripts { get; } = new();

    public Task PrepareAsync(TrialWork work, CancellationToken cancellationToken) => Task.CompletedTask;

    public TrainingResult Run(TrialWork work, TrainingHooks hooks, TrainingCheckpoint? resumeFrom, CancellationToken cancellationToken)
    {
        var script = Scripts.GetOrAdd(work.Key.SweepId, _ => new TrialScript());
        var seed = work.Settings.GetValueOrDefault("seed", "0");
        var width = double.Parse(work.Settings.GetValueOrDefault("width", "1"), CultureInfo.InvariantCulture);
        var from = resumeFrom?.Epoch ?? 0;
        if (resumeFrom is not null && BitConverter.ToInt32(resumeFrom.Payload) != from)
        {
            throw new InvalidOperationException("checkpoint payload does not match its epoch");
        }
        script.Runs.Enqueue((work.Key, from, Thread.CurrentThread.Name ?? ""));
        int[] initial = [(int)(300 * width), (int)(100 * width)];
        int[] final = [40 + int.Parse(seed, CultureInfo.InvariantCulture) % 3, 80];
        var epochs = new List<EpochProgress>();
        for (var epoch = from + 1; epoch <= work.Epochs; epoch++)
        {
            if (cancellationToken.WaitHandle.WaitOne(script.EpochDuration))
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
            if (epoch == 2 && script.DivergingSeeds.Contains(seed))
            {
                throw new TrainingFailedException("diverged", "loss became NaN at epoch 2");
            }
            if (epoch == 2 && script.TransientSeeds.Contains(seed) && script.TransientFailuresDone.TryAdd(work.Key, 1))
            {
                throw new IOException("simulated transient failure");
            }
            var progress = new EpochProgress(epoch, epoch * 10L, 1.0 / epoch, 0.02, epoch == work.Epochs ? final : initial, 0, 1e6, epoch * 0.06);
            epochs.Add(progress);
            hooks.OnEpoch?.Invoke(progress);
            // The trainer blocks on the checkpoint write the same way (it runs on a dedicated thread).
            hooks.OnCheckpoint?.Invoke(new TrainingCheckpoint(epoch, epoch * 10L, BitConverter.GetBytes(epoch)), cancellationToken).GetAwaiter().GetResult();
        }
        return new TrainingResult
        {
            Options = new TrialOptions(),
            LayerNames = ["fc1", "fc2"],
            InitialWidths = initial,
            FinalWidths = final,
            Parameters = 1000,
            ParametersFraction = 0.1,
            Flops = 1000,
            FlopsFraction = 0.1,
            TestError = 0.015,
            TestErrorMeanNet = 0.015,
            Undecided = 0,
            UndecidedTolerant = 0,
            UndecidedTolerance = 0.05,
            TrainFlops = 1e9,
            TrainFlopsFraction = 0.5,
            WallSeconds = 0.1,
            EpochWidths = epochs.Select(e => e.Widths).ToArray(),
            EpochFinalWidthReached = [work.Epochs, work.Epochs],
            Epochs = epochs,
        };
    }
}
