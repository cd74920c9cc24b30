using System.Net;
using System.Text.RegularExpressions;
using Sweep.Client.Exports;
using Sweep.Client.Output;
using Sweep.Client.Reports;
using Sweep.Client.Tests.TestData;
using Sweep.Grains.Abstractions.Reports;
using Sweep.Grains.Abstractions.Sweeps;
using Sweep.Grains.Abstractions.Trials;
using Xunit;

namespace Sweep.Client.Tests.Reports;

public class ReportGeneratorTests : IDisposable
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"sweep-report-test-{Guid.NewGuid():N}");

    [Fact]
    public void Report_writes_html_charts_and_exports_that_are_non_trivial()
    {
        var files = new ReportGenerator().Write(SampleSweep.Create(), _directory);

        Assert.True(File.Exists(files.Html));
        Assert.NotEmpty(files.ChartPngs);
        Assert.Equal(files.ChartPngs.Count, files.ChartSvgs.Count);
        foreach (var png in files.ChartPngs)
        {
            var bytes = File.ReadAllBytes(png);
            Assert.True(bytes.Length > 5_000, $"{png}: {bytes.Length} bytes");
            Assert.Equal(PngSignature, bytes[..8]);
        }
        foreach (var svg in files.ChartSvgs)
        {
            var text = File.ReadAllText(svg);
            Assert.True(text.Length > 2_000, $"{svg}: {text.Length} characters");
            Assert.Contains("<svg", text);
        }
        // Exports start with their content, not a byte-order mark (JSON readers and CSV headers choke on one).
        Assert.Equal((byte)'{', File.ReadAllBytes(files.ResultsJson)[0]);
        Assert.StartsWith("index,grid,state,", File.ReadAllText(files.TrialsCsv));
        Assert.Equal((byte)'i', File.ReadAllBytes(files.TrialsCsv)[0]);
        Assert.Equal((byte)'g', File.ReadAllBytes(files.RobustnessCsv)[0]);
        Assert.Equal((byte)'<', File.ReadAllBytes(files.Html)[0]);
    }

    [Fact]
    public void Html_is_self_contained_and_shows_every_chart_section()
    {
        var files = new ReportGenerator().Write(SampleSweep.Create(), _directory);
        var html = File.ReadAllText(files.Html);

        var images = Regex.Matches(html, "<img [^>]*src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"");
        Assert.Equal(files.ChartPngs.Count, images.Count);
        Assert.All(images, m => Assert.Equal(PngSignature, Convert.FromBase64String(m.Groups[1].Value)[..8]));
        Assert.DoesNotContain("<link", html);
        Assert.DoesNotMatch("<script[^>]*src=", html);

        // Flattening prior against the ablation, side by side, per layer; widths and test error against each factor; histories; FLOPs.
        Assert.Contains("chart-ablation-lenet300-100-fc1-width", html);
        Assert.Contains("chart-ablation-lenet300-100-fc2-width", html);
        Assert.Contains("chart-ablation-lenet300-100-test-error", html);
        Assert.Contains("chart-ablation-lenet300-100-undecided", html);
        foreach (var group in new[] { "arch-lenet300-100-prior-flattening", "arch-lenet300-100-prior-fixed-0-5" })
        {
            Assert.Contains($"chart-{group}-fc1-width-by-width", html);
            Assert.Contains($"chart-{group}-fc2-width-by-init", html);
            Assert.Contains($"chart-{group}-test-error-by-width", html);
            Assert.Contains($"chart-{group}-test-error-by-init", html);
            Assert.Contains($"chart-{group}-fc1-width-history", html);
            Assert.Contains($"chart-{group}-undecided-history", html);
            Assert.Contains($"chart-{group}-flops-per-step", html);
        }
        Assert.Contains("not the gate values themselves", html);
    }

    [Fact]
    public void Numbers_in_the_html_equal_the_json_export()
    {
        var files = new ReportGenerator().Write(SampleSweep.Create(), _directory);
        var html = File.ReadAllText(files.Html);
        var json = File.ReadAllText(files.ResultsJson);

        var embedded = Regex.Match(html, "<script type=\"application/json\" id=\"sweep-export\">\n(.*?)</script>", RegexOptions.Singleline).Groups[1].Value;
        Assert.Equal(json, embedded.Replace("<\\/", "</", StringComparison.Ordinal));

        var export = SweepJson.Deserialize<SweepExport>(json);
        var text = WebUtility.HtmlDecode(html);
        foreach (var group in export.Report.Groups)
        {
            Assert.Contains($"<td>{Numbers.PercentInterval(group.TestError!.Overall)}</td>", text);
            Assert.Contains($"<td>{Numbers.PercentInterval(group.ParametersKept!.Overall)}</td>", text);
            foreach (var layer in group.Layers)
            {
                Assert.Contains($"<td>{Numbers.MeanInterval(layer.FinalWidth.Overall)}</td><td>{Numbers.Cv(layer.FinalWidth.Overall)}</td>", text);
            }
            foreach (var verdict in group.Verdicts)
            {
                Assert.Contains(verdict.Detail, text);
            }
        }
        foreach (var trial in export.Results.Where(r => r.State == TrialState.Completed))
        {
            Assert.Contains($"<td>{Numbers.Percent(trial.TestError)}</td>", text);
        }
        Assert.Contains("Failed: diverged", text);
        foreach (var difference in export.Report.Comparisons.SelectMany(c => c.Differences))
        {
            Assert.Contains(difference.Sentence, text);
        }
        Assert.Contains("id=\"control-table\"", html);
        // A chart per claim: final width by init and by width per group, test error and undecided gates across groups.
        foreach (var id in new[] { "claim-accurate", "claim-deterministic", "control-fixed-0-5" })
        {
            Assert.Contains($"id=\"chart-{id}\"", html);
        }
        Assert.Equal(2, Regex.Count(html, "id=\"chart-claim-[a-z0-9-]+-init-robust\""));
        Assert.True(File.Exists(Path.Combine(_directory, ReportGenerator.ControlCsvFile)));
    }

    [Fact]
    public void Sweep_without_completed_trials_still_gets_a_report_saying_so()
    {
        var running = SampleSweep.Create() with
        {
            State = SweepState.Running,
            Results = [],
            Report = new SweepReport { SweepId = SampleSweep.SweepId },
        };

        var files = new ReportGenerator().Write(running, _directory);
        var html = File.ReadAllText(files.Html);

        Assert.Empty(files.ChartPngs);
        Assert.Contains("No completed trial carries the data for these charts.", html);
    }

    [Fact]
    public void History_charts_pick_trials_across_widths_and_inits()
    {
        var group = TrialGroup.FromExport(SampleSweep.Create())[0];

        var selected = ReportCharts.SelectTrials(group, 4);

        Assert.Equal(4, selected.Count);
        Assert.Equal(4, selected.Select(t => (t.Setting("width"), t.Setting("init"))).Distinct().Count());
        Assert.All(selected, t => Assert.Equal("1", t.Setting("seed")));
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
        GC.SuppressFinalize(this);
    }
}
