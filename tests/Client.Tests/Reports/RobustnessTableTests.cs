using Sweep.Client.Output;
using Sweep.Client.Tests.TestData;
using Xunit;

namespace Sweep.Client.Tests.Reports;

public class RobustnessTableTests
{
    [Fact]
    public void Table_has_a_row_per_group_and_gated_layer_with_group_values_on_its_first_row()
    {
        var report = SampleSweep.Create().Report;

        var table = RobustnessTable.Build(report);

        Assert.Equal(4, table.Rows.Count);
        Assert.Equal(new HashSet<int> { 0, 2 }, table.GroupStarts);
        var first = table.Rows[0];
        var group = report.Groups[0];
        Assert.Equal(group.Label, first[0]);
        Assert.Equal("fc1", first[2]);
        Assert.Equal("300-600", first[3]);
        Assert.Equal(Numbers.MeanSd(group.Layers[0].FinalWidth.Overall), first[4]);
        Assert.Equal(Numbers.PercentMeanSd(group.TestError!.Overall), first[10]);
        Assert.Equal("0.0 / 0.0", first[11]);
        Assert.Equal("", table.Rows[1][10]);
        Assert.Equal("7 ok, 1 failed", table.Rows[2][1]);
    }

    [Fact]
    public void Verdicts_show_measured_against_threshold()
    {
        var verdicts = RobustnessTable.BuildVerdicts(SampleSweep.Create().Report);

        Assert.Equal(["Group", "deterministic", "init-robust", "width-robust", "accurate"], verdicts.Columns);
        Assert.Equal("holds (0 vs 0)", verdicts.Rows[0][1]);
        Assert.Equal("FAILS (12 vs 0)", verdicts.Rows[1][1]);
        Assert.Equal("FAILS (0.0213 vs 0.018)", verdicts.Rows[0][4]);
    }

    [Fact]
    public void Numbers_are_formatted_invariantly()
    {
        var summary = SampleSweep.Summary([0.019, 0.021]);

        Assert.Equal("2.00% ± 0.14%", Numbers.PercentMeanSd(summary));
        Assert.Equal("266.2k", Numbers.Compact(266_200));
        Assert.Equal("1.20G", Numbers.Compact(1.2e9));
        Assert.Equal("3m05s", Numbers.Duration(TimeSpan.FromSeconds(185)));
    }
}
