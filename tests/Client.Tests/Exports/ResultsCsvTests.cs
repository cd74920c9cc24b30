using Sweep.Client.Exports;
using Sweep.Client.Tests.TestData;
using Sweep.Grains.Abstractions.Trials;
using Xunit;

namespace Sweep.Client.Tests.Exports;

public class ResultsCsvTests
{
    [Fact]
    public void Csv_round_trips_to_the_same_numbers_as_the_records()
    {
        var results = SampleSweep.Create().Results;

        var read = ResultsCsv.Read(ResultsCsv.Write(results));

        Assert.Equal(results.Count, read.Count);
        foreach (var (expected, actual) in results.Zip(read))
        {
            Assert.Equal(expected.Index, actual.Index);
            Assert.Equal(expected.Grid, actual.Grid);
            Assert.Equal(expected.State, actual.State);
            Assert.Equal(expected.FailureReason, actual.FailureReason);
            Assert.Equal(expected.FailureMessage, actual.FailureMessage);
            Assert.Equal(expected.Settings.OrderBy(s => s.Key), actual.Settings.OrderBy(s => s.Key));
            Assert.Equal(expected.LayerNames, actual.LayerNames);
            Assert.Equal(expected.InitialWidths, actual.InitialWidths);
            Assert.Equal(expected.FinalWidths, actual.FinalWidths);
            Assert.Equal(expected.EpochFinalWidthReached, actual.EpochFinalWidthReached);
            Assert.Equal(expected.Parameters, actual.Parameters);
            Assert.Equal(expected.Flops, actual.Flops);
            // Exact equality: the CSV writes doubles in round-trip form.
            Assert.Equal(expected.ParametersFraction, actual.ParametersFraction);
            Assert.Equal(expected.FlopsFraction, actual.FlopsFraction);
            Assert.Equal(expected.TestError, actual.TestError);
            Assert.Equal(expected.TestErrorMeanNet, actual.TestErrorMeanNet);
            Assert.Equal(expected.Undecided, actual.Undecided);
            Assert.Equal(expected.UndecidedTolerant, actual.UndecidedTolerant);
            Assert.Equal(expected.UndecidedTolerance, actual.UndecidedTolerance);
            Assert.Equal(expected.TrainFlops, actual.TrainFlops);
            Assert.Equal(expected.TrainFlopsFraction, actual.TrainFlopsFraction);
            Assert.Equal(expected.WallSeconds, actual.WallSeconds);
            Assert.Equal(expected.Attempts, actual.Attempts);
            Assert.Equal(expected.ResumedFromEpochs, actual.ResumedFromEpochs);
            Assert.Equal(expected.Silos, actual.Silos);
            Assert.Equal(expected.StartedAt, actual.StartedAt);
            Assert.Equal(expected.FinishedAt, actual.FinishedAt);
        }
    }

    [Fact]
    public void Csv_has_one_row_per_trial_and_a_column_per_setting_and_layer()
    {
        var csv = ResultsCsv.Write(SampleSweep.Create().Results);
        var records = Csv.Read(csv);

        Assert.Equal(17, records.Count);
        var header = records[0];
        Assert.Contains("seed", header);
        Assert.Contains("init", header);
        Assert.Contains("width", header);
        Assert.Contains("prior", header);
        Assert.Contains("final_width_fc1", header);
        Assert.Contains("initial_width_fc2", header);
        Assert.Contains("test_error", header);
        Assert.All(records, r => Assert.Equal(header.Length, r.Length));
    }

    [Fact]
    public void Fields_with_commas_quotes_and_line_breaks_survive()
    {
        var trial = new TrialResult
        {
            Index = 0, Grid = "g,1", Settings = new Dictionary<string, string> { ["prior"] = "fixed:0.5" }, State = TrialState.Failed,
            FailureReason = "error", FailureMessage = "said \"no\",\nthen stopped",
        };

        var read = ResultsCsv.Read(ResultsCsv.Write([trial])).Single();

        Assert.Equal("g,1", read.Grid);
        Assert.Equal("said \"no\",\nthen stopped", read.FailureMessage);
    }

    [Fact]
    public void Not_a_number_round_trips()
    {
        // A completed trial without a test set measures a test error of NaN.
        var trial = new TrialResult { Index = 0, Grid = "g", Settings = new Dictionary<string, string>(), State = TrialState.Completed, TestError = double.NaN };

        Assert.True(double.IsNaN(ResultsCsv.Read(ResultsCsv.Write([trial])).Single().TestError));
    }
}
