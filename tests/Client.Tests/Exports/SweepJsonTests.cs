using Sweep.Client.Exports;
using Sweep.Client.Output;
using Sweep.Client.Tests.TestData;
using Xunit;

namespace Sweep.Client.Tests.Exports;

public class SweepJsonTests
{
    [Fact]
    public void Json_export_round_trips_to_the_same_numbers_as_the_records()
    {
        var export = SampleSweep.Create();

        var read = SweepJson.Deserialize<SweepExport>(SweepJson.Serialize(export));

        Assert.Equal(export.SweepId, read.SweepId);
        Assert.Equal(export.State, read.State);
        Assert.Equal(export.Counts, read.Counts);
        Assert.Equal(export.Results.Count, read.Results.Count);
        foreach (var (expected, actual) in export.Results.Zip(read.Results))
        {
            Assert.Equal(expected.TestError, actual.TestError);
            Assert.Equal(expected.TrainFlopsFraction, actual.TrainFlopsFraction);
            Assert.Equal(expected.ParametersFraction, actual.ParametersFraction);
            Assert.Equal(expected.FinalWidths, actual.FinalWidths);
            Assert.Equal(expected.Settings.OrderBy(s => s.Key), actual.Settings.OrderBy(s => s.Key));
            Assert.Equal(expected.Epochs.Count, actual.Epochs.Count);
            foreach (var (e, a) in expected.Epochs.Zip(actual.Epochs))
            {
                Assert.Equal(e.FlopsPerStep, a.FlopsPerStep);
                Assert.Equal(e.TestError, a.TestError);
                Assert.Equal(e.Widths, a.Widths);
                Assert.Equal(e.Undecided, a.Undecided);
            }
        }
        foreach (var (expected, actual) in export.Report.Groups.Zip(read.Report.Groups))
        {
            Assert.Equal(expected.Label, actual.Label);
            Assert.Equal(expected.TestError!.Overall, actual.TestError!.Overall);
            Assert.Equal(expected.Layers.Select(l => l.FinalWidth.Overall), actual.Layers.Select(l => l.FinalWidth.Overall));
            Assert.Equal(expected.Verdicts.Select(v => (v.Claim, v.Verdict, v.Measured)), actual.Verdicts.Select(v => (v.Claim, v.Verdict, v.Measured)));
        }
        Assert.Equal(export.Spec!.Grids.Count, read.Spec!.Grids.Count);
    }

    [Fact]
    public void Json_names_enums_and_uses_camel_case()
    {
        var json = SweepJson.Serialize(SampleSweep.Create());

        Assert.Contains("\"state\": \"Completed\"", json);
        Assert.Contains("\"verdict\": \"Holds\"", json);
        Assert.Contains("\"finalWidths\"", json);
    }

    [Fact]
    public void A_bundle_written_before_three_outcomes_reads_not_tested_as_inconclusive_and_can_be_reanalyzed()
    {
        var export = SampleSweep.Create();
        var json = SweepJson.Serialize(export).Replace("\"verdict\": \"Inconclusive\"", "\"verdict\": \"NotTested\"", StringComparison.Ordinal);
        Assert.Contains("\"NotTested\"", json);

        var read = SweepJson.Deserialize<SweepExport>(json);
        var again = Analysis.SweepAnalysis.Analyze(read.Spec, read.SweepId, read.Counts.Total, read.Results);

        Assert.Equal(export.Report.Groups.SelectMany(g => g.Verdicts).Select(v => v.Verdict), read.Report.Groups.SelectMany(g => g.Verdicts).Select(v => v.Verdict));
        Assert.Equal(export.Report.Groups.SelectMany(g => g.Verdicts).Select(v => v.Verdict), again.Groups.SelectMany(g => g.Verdicts).Select(v => v.Verdict));
        Assert.Throws<System.Text.Json.JsonException>(() => SweepJson.Deserialize<SweepExport>(json.Replace("\"NotTested\"", "\"Maybe\"", StringComparison.Ordinal)));
    }
}
