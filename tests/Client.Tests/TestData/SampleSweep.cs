using System.Globalization;
using Sweep.Analysis;
using Sweep.Client.Exports;
using Sweep.Grains.Abstractions.Reports;
using Sweep.Grains.Abstractions.Sweeps;
using Sweep.Grains.Abstractions.Trials;

namespace Sweep.Client.Tests.TestData;

/// <summary>
/// A finished quick sweep as the coordinator would return it: LeNet-300-100, widths 1 and 2 x two
/// inits x two seeds, under the flattening prior and the fixed-prior ablation (one ablation trial
/// diverged), with per-epoch histories, and the report computed from the results by the analysis.
/// </summary>
public static class SampleSweep
{
    public const string SweepId = "quick-sweep-20261129-074452-3f9a";

    private static readonly string[] Layers = ["fc1", "fc2"];

    public static SweepExport Create()
    {
        var results = new List<TrialResult>();
        var started = new DateTime(2026, 11, 29, 7, 45, 0, DateTimeKind.Utc);
        foreach (var prior in new[] { "flattening", "fixed:0.5" })
        {
            foreach (var width in new[] { "1", "2" })
            {
                foreach (var init in new[] { "kaiming-uniform", "orthogonal" })
                {
                    foreach (var seed in new[] { "1", "2" })
                    {
                        var index = results.Count;
                        var settings = new Dictionary<string, string>(StringComparer.Ordinal)
                        {
                            ["arch"] = "lenet300-100", ["batch-size"] = "100", ["cost"] = "0.03", ["epochs"] = "4",
                            ["estimator"] = "exact", ["init"] = init, ["prior"] = prior, ["seed"] = seed,
                            ["train-limit"] = "5000", ["width"] = width,
                        };
                        var grid = prior == "flattening" ? "flattening" : "ablation";
                        if (prior != "flattening" && index == 13)
                        {
                            results.Add(new TrialResult
                            {
                                Index = index, Grid = grid, Settings = settings, State = TrialState.Failed,
                                FailureReason = "diverged", FailureMessage = "loss is NaN at epoch 2, step 97", Attempts = 1,
                                StartedAt = started.AddSeconds(index * 30), FinishedAt = started.AddSeconds(index * 30 + 12),
                            });
                            continue;
                        }
                        results.Add(Trial(index, grid, settings, prior, double.Parse(width, CultureInfo.InvariantCulture), started.AddSeconds(index * 30)));
                    }
                }
            }
        }
        var spec = Grains.Abstractions.Specs.SweepSpecParser.Parse(File.ReadAllText(Path.Combine(RepositoryRoot(), "examples", "quick-sweep.yaml"))).Spec;
        var report = SweepAnalysis.Analyze(spec, SweepId, results.Count, results, new DateTime(2026, 11, 29, 7, 55, 0, DateTimeKind.Utc));
        return new SweepExport
        {
            SweepId = SweepId,
            Name = "quick-sweep",
            State = SweepState.Completed,
            Counts = new TrialCounts { Completed = results.Count(r => r.State == TrialState.Completed), Failed = results.Count(r => r.State == TrialState.Failed) },
            Spec = spec,
            Report = report,
            Results = results,
        };
    }

    private static TrialResult Trial(int index, string grid, Dictionary<string, string> settings, string prior, double width, DateTime start)
    {
        var initial = new[] { (int)(300 * width), (int)(100 * width) };
        var fixedPrior = prior != "flattening";
        // Deterministic, slightly different per trial: the flattening prior ends smaller and decided.
        var jitter = (index * 7 % 5) - 2;
        var final = new[] { (fixedPrior ? 70 : 48) + jitter * 2, (fixedPrior ? 90 : 86) + jitter };
        var epochs = new List<TrialEpoch>();
        var stepsPerEpoch = 50;
        for (var e = 1; e <= 4; e++)
        {
            var widths = initial.Select((w, l) => e == 4 ? final[l] : w - (w - final[l]) * e / 4).ToArray();
            var flopsPerStep = 3.0 * 100 * (784.0 * widths[0] + widths[0] * (double)widths[1] + widths[1] * 10.0);
            epochs.Add(new TrialEpoch
            {
                Epoch = e, Step = e * stepsPerEpoch, TrainLoss = 0.9 / e + 0.01 * jitter, TestError = 0.06 / e + 0.001 * jitter,
                Widths = widths, Undecided = fixedPrior ? 40 - 5 * e : Math.Max(0, 30 - 10 * e), FlopsPerStep = flopsPerStep, Seconds = 8.5 * e,
            });
        }
        var parameters = 785L * final[0] + (final[0] + 1L) * final[1] + (final[1] + 1L) * 10;
        var startParameters = 785L * initial[0] + (initial[0] + 1L) * initial[1] + (initial[1] + 1L) * 10;
        var flops = 784L * final[0] + (long)final[0] * final[1] + final[1] * 10L;
        var startFlops = 784L * initial[0] + (long)initial[0] * initial[1] + initial[1] * 10L;
        return new TrialResult
        {
            Index = index,
            Grid = grid,
            Settings = settings,
            State = TrialState.Completed,
            LayerNames = Layers,
            InitialWidths = initial,
            FinalWidths = final,
            Parameters = parameters,
            ParametersFraction = parameters / (double)startParameters,
            Flops = flops,
            FlopsFraction = flops / (double)startFlops,
            TestError = 0.021 + 0.0007 * jitter + (fixedPrior ? 0.002 : 0) + 1.0 / 3 * 1e-4,
            TestErrorMeanNet = 0.0205 + 0.0007 * jitter,
            Undecided = fixedPrior ? 20 : 0,
            UndecidedTolerant = fixedPrior ? 12 : 0,
            UndecidedTolerance = 0.05,
            TrainFlops = epochs.Sum(e => e.FlopsPerStep) * stepsPerEpoch,
            TrainFlopsFraction = 0.41 + 0.01 * jitter + Math.PI * 1e-9,
            WallSeconds = 34.2 + index,
            EpochWidths = epochs.Select(e => e.Widths).ToArray(),
            EpochFinalWidthReached = [4, 4],
            Epochs = epochs,
            Attempts = index == 5 ? 2 : 1,
            ResumedFromEpochs = index == 5 ? [2] : [],
            Silos = index == 5 ? ["S127.0.0.1:11111:1", "S127.0.0.1:11112:1"] : ["S127.0.0.1:11111:1"],
            StartedAt = start,
            FinishedAt = start.AddSeconds(34.2 + index),
        };
    }

    public static StatisticSummary Summary(double[] values)
    {
        var mean = values.Average();
        var sd = values.Length < 2 ? 0 : Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1));
        return new StatisticSummary { Count = values.Length, Mean = mean, StandardDeviation = sd, CoefficientOfVariation = mean == 0 ? 0 : sd / Math.Abs(mean), Min = values.Min(), Max = values.Max() };
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Sweep.sln")))
            {
                return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException("Sweep.sln not found above " + AppContext.BaseDirectory);
    }
}
