using Sweep.Client.Reports;
using Sweep.Client.Tests.TestData;
using Xunit;

namespace Sweep.Client.Tests.Reports;

public class TrialGroupTests
{
    [Fact]
    public void Trials_that_differ_only_in_the_threads_their_silo_chose_share_the_coordinators_group()
    {
        var export = GeneratedBundles.Export(GeneratedBundles.Spec(GeneratedBundles.WholeGrids), "threads-differ");
        // Silos of different sizes give their trials different thread counts; the coordinator groups them together.
        var mixed = export with
        {
            Results = export.Results.Select(r => r with
            {
                Settings = new Dictionary<string, string>(r.Settings) { ["threads"] = r.Index % 2 == 0 ? "1" : "2" },
            }).ToArray(),
        };

        var groups = TrialGroup.FromExport(mixed);

        Assert.Equal(2, groups.Count);
        Assert.All(groups, g => Assert.Equal(9, g.Trials.Count));
        Assert.All(groups, g => Assert.NotNull(g.Statistics));
        Assert.Equal(export.Report.Groups.Select(g => g.Label), groups.Select(g => g.Label));
    }
}
