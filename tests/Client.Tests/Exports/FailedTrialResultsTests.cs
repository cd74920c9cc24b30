using System.Text.Json.Nodes;
using Sweep.Client.Exports;
using Sweep.Client.Output;
using Sweep.Client.Tests.TestData;
using Sweep.Grains.Abstractions.Trials;
using Xunit;

namespace Sweep.Client.Tests.Exports;

/// <summary>A sweep whose trials all failed: no export or table shows a metric for them.</summary>
public class FailedTrialResultsTests
{
    private static readonly string[] MetricColumns =
    [
        "parameters", "parameters_fraction", "flops", "flops_fraction", "test_error", "test_error_mean_net",
        "undecided", "undecided_tolerant", "undecided_tolerance", "train_flops", "train_flops_fraction", "wall_seconds",
    ];

    private static TrialResult[] AllFailed() => Enumerable.Range(0, 3).Select(i => new TrialResult
    {
        Index = i,
        Grid = "g",
        Settings = new Dictionary<string, string> { ["arch"] = "lenet300-100", ["seed"] = (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), ["lr"] = "1000" },
        State = TrialState.Failed,
        FailureReason = "diverged",
        FailureMessage = $"The training loss averaged 1e+04 in epoch 1 (trial {i})",
        Attempts = 1,
        StartedAt = new DateTime(2026, 12, 1, 8, 0, i, DateTimeKind.Utc),
        FinishedAt = new DateTime(2026, 12, 1, 8, 1, i, DateTimeKind.Utc),
    }).ToArray();

    [Fact]
    public void Csv_leaves_a_failed_trials_metrics_empty_and_keeps_a_completed_ones()
    {
        var results = SampleSweep.Create().Results.Concat(AllFailed().Select(r => r with { Index = r.Index + 100 })).ToArray();

        var records = Csv.Read(ResultsCsv.Write(results));

        var header = records[0];
        var state = Array.IndexOf(header, "state");
        foreach (var record in records.Skip(1))
        {
            foreach (var column in MetricColumns)
            {
                var cell = record[Array.IndexOf(header, column)];
                if (record[state] == nameof(TrialState.Completed))
                {
                    Assert.NotEqual("", cell);
                }
                else
                {
                    Assert.Equal("", cell);
                }
            }
            Assert.NotEqual("", record[Array.IndexOf(header, "attempts")]);
        }
        Assert.Contains(records, r => r[state] == nameof(TrialState.Failed));
        // And it reads back.
        Assert.All(ResultsCsv.Read(ResultsCsv.Write(results)).Where(r => r.State == TrialState.Failed), r => Assert.Equal("diverged", r.FailureReason));
    }

    [Fact]
    public void Json_gives_a_failed_trial_null_metrics_and_reads_them_back()
    {
        var export = SampleSweep.Create();
        export = export with { Results = [.. export.Results, .. AllFailed().Select(r => r with { Index = r.Index + 100 })] };

        var json = SweepJson.Serialize(export);

        var results = JsonNode.Parse(json)!["results"]!.AsArray();
        foreach (var result in results)
        {
            var completed = result!["state"]!.GetValue<string>() == nameof(TrialState.Completed);
            foreach (var name in new[] { "testError", "testErrorMeanNet", "parameters", "parametersFraction", "flops", "flopsFraction", "undecided", "trainFlopsFraction", "wallSeconds" })
            {
                Assert.True(result.AsObject().ContainsKey(name), name);
                Assert.Equal(completed, result[name] is not null);
            }
        }
        var read = SweepJson.Deserialize<SweepExport>(json);
        Assert.Equal(export.Results.Count, read.Results.Count);
        Assert.Equal(export.Results.Select(r => r.TestError), read.Results.Select(r => r.TestError));
        Assert.Equal("diverged", read.Results[^1].FailureReason);
    }

    [Fact]
    public void Trials_table_shows_a_dash_for_every_metric_of_a_failed_trial()
    {
        var table = TrialsTable.Build(AllFailed());

        var metrics = table.Columns.ToList().IndexOf("Widths");
        Assert.All(table.Rows, row =>
        {
            Assert.Equal("Failed: diverged", row[metrics - 1]);
            Assert.All(row.Skip(metrics), cell => Assert.Equal(TrialsTable.NoValue, cell));
        });
    }

    [Fact]
    public void A_group_whose_trials_all_failed_says_why()
    {
        var results = SampleSweep.Create().Results.Concat(AllFailed().Select(r => r with { Index = r.Index + 100 })).ToArray();

        var table = FailuresTable.Build(results);

        Assert.True(FailuresTable.AnyFailed(results));
        var allFailed = Assert.Single(table.Rows, r => r[0].Contains("lr=1000", StringComparison.Ordinal));
        Assert.Equal("none: all 3 trials failed", allFailed[1]);
        Assert.Equal("diverged x3", allFailed[2]);
        Assert.StartsWith("#100: The training loss averaged", allFailed[3], StringComparison.Ordinal);
        // The sample's one failed trial among completed ones.
        Assert.Contains(table.Rows, r => r[1] == "7 of 8 completed" && r[2] == "diverged x1");
        Assert.Empty(FailuresTable.Build(SampleSweep.Create().Results.Where(r => r.State == TrialState.Completed).ToArray()).Rows);
    }
}
