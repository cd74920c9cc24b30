using System.Globalization;
using Sweep.Grains.Execution;
using Sweep.Options;
using Sweep.Pruning.Training;

namespace Sweep.Client.IntegrationTests;

/// <summary>
/// Stands in for the trainer so that the commands are tested, not training: each epoch sleeps
/// briefly and reports widths that shrink towards a final width depending on seed and init.
/// Trials with seed 13 diverge at epoch 2; trials with more than 100 epochs run until cancelled.
/// </summary>
public sealed class FakeTrialExecutor : ITrialExecutor
{
    public const string DivergingSeed = "13";

    public Task PrepareAsync(TrialWork work, CancellationToken cancellationToken) => Task.CompletedTask;

    public TrainingResult Run(TrialWork work, TrainingHooks hooks, TrainingCheckpoint? resumeFrom, CancellationToken cancellationToken)
    {
        var seed = int.Parse(work.Settings.GetValueOrDefault("seed", "0"), CultureInfo.InvariantCulture);
        var width = double.Parse(work.Settings.GetValueOrDefault("width", "1"), CultureInfo.InvariantCulture);
        var orthogonal = work.Settings.GetValueOrDefault("init", "") == "orthogonal";
        int[] initial = [(int)(300 * width), (int)(100 * width)];
        int[] final = [44 + seed % 3 + (orthogonal ? 2 : 0), 86 + seed % 2];
        var epochs = new List<EpochProgress>();
        for (var epoch = (resumeFrom?.Epoch ?? 0) + 1; epoch <= work.Epochs; epoch++)
        {
            if (cancellationToken.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(work.Epochs > 100 ? 200 : 40)))
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
            if (epoch == 2 && seed.ToString(CultureInfo.InvariantCulture) == DivergingSeed)
            {
                throw new TrainingFailedException("diverged", "loss became NaN at epoch 2");
            }
            var widths = initial.Select((w, l) => epoch >= work.Epochs ? final[l] : w - (w - final[l]) * epoch / work.Epochs).ToArray();
            var progress = new EpochProgress(epoch, epoch * 50L, 1.0 / epoch, 0.05 / epoch, widths, Math.Max(0, 20 - 8 * epoch), 1e6 * widths[0], epoch * 0.04);
            epochs.Add(progress);
            hooks.OnEpoch?.Invoke(progress);
            hooks.OnCheckpoint?.Invoke(new TrainingCheckpoint(epoch, epoch * 50L, BitConverter.GetBytes(epoch)), cancellationToken).GetAwaiter().GetResult();
        }
        return new TrainingResult
        {
            Options = new TrialOptions(),
            LayerNames = ["fc1", "fc2"],
            InitialWidths = initial,
            FinalWidths = final,
            Parameters = 785L * final[0] + (final[0] + 1L) * final[1] + (final[1] + 1L) * 10,
            ParametersFraction = 0.15 + seed * 1e-3,
            Flops = 784L * final[0] + (long)final[0] * final[1] + final[1] * 10L,
            FlopsFraction = 0.14 + seed * 1e-3,
            TestError = 0.02 + seed * 1e-4 + (orthogonal ? 3e-4 : 0),
            TestErrorMeanNet = 0.021,
            Undecided = 0,
            UndecidedTolerant = 0,
            UndecidedTolerance = 0.05,
            TrainFlops = 1e9 + seed,
            TrainFlopsFraction = 0.4 + seed * 1e-3,
            WallSeconds = 0.1 * work.Epochs,
            EpochWidths = epochs.Select(e => e.Widths).ToArray(),
            EpochFinalWidthReached = [work.Epochs, work.Epochs],
            Epochs = epochs,
        };
    }
}
