using System.Diagnostics;
using Sweep.Grains.Telemetry;

namespace Sweep.Observability.Tests.Support;

/// <summary>
/// Calls the instrumentation the way the orchestration does for one short trial: the coordinator's progress, the
/// trial grain's state changes and trial span, the runner's epochs (on its own thread) and checkpoints, a restart.
/// Values are plausible for a small MLP on MNIST-sized data.
/// </summary>
public static class ShortTrial
{
    public const string Architecture = "mlp";
    public static readonly string[] Layers = ["fc1", "fc2"];

    /// <summary>Trial grain side: the trial span (child of <paramref name="parent"/>, or of the current span), then the runner.</summary>
    public static async Task RunAsync(SweepTelemetry telemetry, string sweep, int trial, int epochs, ActivityContext parent = default)
    {
        telemetry.TrialStateChanged(sweep, trial, Architecture, "Running");
        using (var trialSpan = telemetry.StartTrialActivity(sweep, trial, Architecture, startEpoch: 0, parent))
        {
            var trialContext = trialSpan?.Context ?? default;
            await RunOnOwnThreadAsync(() => RunEpochs(telemetry, sweep, trial, epochs, trialContext));
        }

        telemetry.TrialStateChanged(sweep, trial, Architecture, "Completed", finished: true);
    }

    /// <summary>The runner: epochs on a dedicated thread that inherits no ambient span, so parents are explicit.</summary>
    private static void RunEpochs(SweepTelemetry telemetry, string sweep, int trial, int epochs, ActivityContext trialContext)
    {
        var widths = new[] { 300, 100 };
        for (var epoch = 1; epoch <= epochs; epoch++)
        {
            using var epochSpan = telemetry.StartEpochActivity(sweep, trial, Architecture, epoch, trialContext);
            widths = [(int)(widths[0] * 0.7), (int)(widths[1] * 0.8)];
            telemetry.RecordEpoch(sweep, trial, Architecture, new EpochMeasurement
            {
                Epoch = epoch,
                DurationSeconds = 2.5,
                Examples = 60_000,
                TrainingFlops = 3.2e11,
                FlopsPerStep = 6.8e8,
                TrainLoss = 0.9 / epoch,
                TestError = 0.08 / epoch,
                Widths = widths,
                LayerNames = Layers,
                UndecidedGates = 40 / epoch,
                PrunedParametersFraction = 1 - (widths[0] / 300.0),
                PrunedFlopsFraction = 1 - (widths[1] / 100.0),
            });

            // The checkpoint is written under the epoch span (ambient here: the grain call would carry it).
            using (telemetry.StartCheckpointActivity(sweep, trial, Architecture, epoch))
            {
                telemetry.RecordCheckpoint(sweep, trial, Architecture, sizeBytes: 1_200_000, TimeSpan.FromMilliseconds(40));
            }

            if (epoch == 1)
            {
                telemetry.TrialRestarted(sweep, trial, Architecture, "transient", fromEpoch: 1);
            }
        }
    }

    /// <summary>The coordinator's view before and after its trials.</summary>
    public static void CoordinatorProgress(SweepTelemetry telemetry, string sweep, int trials, bool done) =>
        telemetry.SweepProgress(
            sweep,
            done ? new Dictionary<string, int> { ["Completed"] = trials, ["Failed"] = 0 }
                 : new Dictionary<string, int> { ["Pending"] = 0, ["Running"] = trials },
            etaSeconds: done ? 0 : 30,
            finished: done);

    private static Task RunOnOwnThreadAsync(Action work)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (ExecutionContext.SuppressFlow())
        {
            new Thread(() =>
            {
                try
                {
                    work();
                    done.SetResult();
                }
                catch (Exception e)
                {
                    done.SetException(e);
                }
            }) { IsBackground = true, Name = "trial runner" }.Start();
        }

        return done.Task;
    }
}
