using System.Globalization;
using Sweep.Analysis;
using Sweep.Client.Bundles;
using Sweep.Client.Exports;
using Sweep.Client.Output;
using Sweep.Grains.Abstractions.Reports;
using Sweep.Grains.Abstractions.Specs;
using Sweep.Grains.Abstractions.Sweeps;
using Sweep.Grains.Abstractions.Trials;

namespace Sweep.Client.Tests.TestData;

/// <summary>
/// Small generated results bundles: a spec expanded by the coordinator's expansion and a result per
/// trial whose numbers depend only on its settings (so a trial has the same result in whichever part
/// it ran), the report built by the coordinator's analysis, as `results --format json` would write it.
/// </summary>
public static class GeneratedBundles
{
    /// <summary>3 inits x 3 seeds under the flattening prior and under fixed:0.5: 18 trials.</summary>
    public const string WholeGrids = """
          flattening: { prior: [flattening], init: [kaiming-uniform, orthogonal, normal-0.1], seed: [1, 2, 3] }
          ablation: { prior: ["fixed:0.5"], init: [kaiming-uniform, orthogonal, normal-0.1], seed: [1, 2, 3] }
        """;

    public static SweepSpec Spec(string grids, string name = "bundle-design", int epochs = 3, string options = "train-limit: 1000") =>
        SweepSpecParser.Parse($"""
            name: {name}
            architecture: lenet300-100
            dataset: mnist
            epochs: {epochs}
            options: {"{"} {options} {"}"}
            grids:
            {grids}
            """).Spec;

    /// <summary>The export of a sweep of <paramref name="spec"/> in which the trials <paramref name="ran"/> selects finished (all by default).</summary>
    public static SweepExport Export(SweepSpec spec, string sweepId, Func<TrialSpec, bool>? ran = null, Func<TrialSpec, TrialState>? state = null)
    {
        var trials = SweepSpecValidator.Check(spec, new SweepSpecRules { CheckDatasetDirectory = false }).ThrowIfInvalid();
        var results = trials.Where(ran ?? (_ => true)).Select(t => Result(t, state?.Invoke(t) ?? TrialState.Completed)).ToArray();
        var counts = new TrialCounts
        {
            Completed = results.Count(r => r.State == TrialState.Completed),
            Failed = results.Count(r => r.State == TrialState.Failed),
            Cancelled = results.Count(r => r.State == TrialState.Cancelled),
            Pending = trials.Count - results.Length,
        };
        return new SweepExport
        {
            SweepId = sweepId,
            Name = spec.Name,
            State = counts.Pending == 0 && counts.Cancelled == 0 ? SweepState.Completed : SweepState.Cancelled,
            Counts = counts,
            Spec = spec,
            Report = SweepAnalysis.Analyze(spec, sweepId, trials.Count, results),
            Results = results,
        };
    }

    /// <summary>Writes the export as `sweep results ID --format json` does; returns the file.</summary>
    public static string Write(SweepExport export, string directory, string? file = null)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, file ?? export.SweepId + ".json");
        File.WriteAllText(path, SweepJson.Serialize(export));
        return path;
    }

    public static ResultsBundle Bundle(SweepExport export, string path) => new(path, export);

    public static string Seed(TrialSpec trial) => trial.Setting("seed")!;

    private static TrialResult Result(TrialSpec trial, TrialState state)
    {
        var seed = int.Parse(trial.Setting("seed")!, CultureInfo.InvariantCulture);
        var init = trial.Setting("init")!;
        var fixedPrior = trial.Setting("prior") != "flattening";
        var started = new DateTime(2026, 11, 30, 8, 0, 0, DateTimeKind.Utc).AddMinutes(seed);
        if (state != TrialState.Completed)
        {
            return new TrialResult
            {
                Index = trial.Index, Grid = trial.Grid, Settings = trial.Settings, State = state,
                FailureReason = state == TrialState.Failed ? "diverged" : "cancelled", FailureMessage = "generated", Attempts = 1,
                StartedAt = started, FinishedAt = started.AddSeconds(5),
            };
        }
        var initOffset = init switch { "orthogonal" => 3, "normal-0.1" => 7, _ => 0 };
        int[] final = [(fixedPrior ? 70 : 45) + seed + initOffset, (fixedPrior ? 90 : 80) + seed % 2];
        int[] initial = [300, 100];
        var epochs = Enumerable.Range(1, 3).Select(e => new TrialEpoch
        {
            Epoch = e, Step = e * 10, TrainLoss = 1.0 / e, TestError = 0.1 / e,
            Widths = initial.Select((w, l) => e == 3 ? final[l] : w - (w - final[l]) * e / 3).ToArray(),
            Undecided = fixedPrior ? 10 : 3 - e, FlopsPerStep = 1e6 / e, Seconds = e,
        }).ToArray();
        return new TrialResult
        {
            Index = trial.Index, Grid = trial.Grid, Settings = trial.Settings, State = TrialState.Completed,
            LayerNames = ["fc1", "fc2"], InitialWidths = initial, FinalWidths = final,
            Parameters = 785L * final[0] + (final[0] + 1L) * final[1], ParametersFraction = final[0] / 300.0,
            Flops = 784L * final[0], FlopsFraction = final[0] / 300.0,
            TestError = 0.02 + seed * 1e-4 + initOffset * 1e-4 + (fixedPrior ? 0.003 : 0), TestErrorMeanNet = 0.021,
            Undecided = fixedPrior ? 10 : 0, UndecidedTolerant = fixedPrior ? 6 : 0, UndecidedTolerance = 0.05,
            TrainFlops = 1e9, TrainFlopsFraction = 0.4, WallSeconds = 30 + seed,
            EpochWidths = epochs.Select(e => e.Widths).ToArray(), EpochFinalWidthReached = [3, 3], Epochs = epochs,
            Attempts = 1, Silos = ["S127.0.0.1:11111:1"], StartedAt = started, FinishedAt = started.AddSeconds(30 + seed),
        };
    }
}
