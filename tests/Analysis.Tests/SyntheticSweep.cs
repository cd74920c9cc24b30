using System.Globalization;
using MathNet.Numerics.Distributions;
using Sweep.Grains.Abstractions.Specs;
using Sweep.Grains.Abstractions.Trials;

namespace Sweep.Analysis.Tests;

/// <summary>
/// Trial results drawn from known distributions: LeNet-300-100-like final widths and test error per
/// grid cell (seed x init x width), normal seed-to-seed noise from a fixed random seed.
/// </summary>
internal sealed class SyntheticSweep(int randomSeed)
{
    private readonly Random _random = new(randomSeed);
    private readonly List<TrialResult> _results = [];

    public IReadOnlyList<TrialResult> Results => _results;

    public static SweepSpec Spec(string dataset = "mnist", VerdictSpec? verdicts = null) => new()
    {
        Name = "synthetic",
        Architecture = "lenet300-100",
        Dataset = dataset,
        Grids = [],
        Verdicts = verdicts,
    };

    /// <summary>Adds one completed trial per seed for every init and width given.</summary>
    public SyntheticSweep Add(int seeds, string[] inits, string[] widths, Func<string, string, (double Fc1, double Fc2, double Error)> means,
        string prior = "flattening", double widthSd = 1.5, double errorSd = 0.0005, Func<int, int>? undecided = null, int firstSeed = 1)
    {
        foreach (var width in widths)
        {
            foreach (var init in inits)
            {
                for (var seed = firstSeed; seed < firstSeed + seeds; seed++)
                {
                    var (fc1, fc2, error) = means(init, width);
                    var k = double.Parse(width, CultureInfo.InvariantCulture);
                    _results.Add(new TrialResult
                    {
                        Index = _results.Count,
                        Grid = prior == "flattening" ? "method" : "ablation",
                        Settings = Settings(seed, init, width, prior),
                        State = TrialState.Completed,
                        LayerNames = ["fc1", "fc2"],
                        InitialWidths = [(int)(300 * k), (int)(100 * k)],
                        FinalWidths = [(int)Math.Round(fc1 + widthSd * Normal.Sample(_random, 0, 1)), (int)Math.Round(fc2 + widthSd * Normal.Sample(_random, 0, 1))],
                        ParametersFraction = 0.05,
                        FlopsFraction = 0.06,
                        TestError = error + errorSd * Normal.Sample(_random, 0, 1),
                        Undecided = undecided?.Invoke(seed) ?? 0,
                        UndecidedTolerant = undecided?.Invoke(seed) ?? 0,
                        UndecidedTolerance = 0.05,
                    });
                }
            }
        }
        return this;
    }

    /// <summary>Adds a failed trial (a collapse, a divergence, or an infrastructure failure).</summary>
    public SyntheticSweep Fail(int seed, string init, string width, string reason, string prior = "flattening", TrialState state = TrialState.Failed)
    {
        _results.Add(new TrialResult
        {
            Index = _results.Count, Grid = "method", Settings = Settings(seed, init, width, prior), State = state, FailureReason = reason,
        });
        return this;
    }

    private static Dictionary<string, string> Settings(int seed, string init, string width, string prior) => new(StringComparer.Ordinal)
    {
        ["arch"] = "lenet300-100", ["seed"] = seed.ToString(CultureInfo.InvariantCulture), ["init"] = init, ["width"] = width, ["prior"] = prior,
    };
}
