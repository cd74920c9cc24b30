using System.Globalization;
using ScottPlot;
using Sweep.Client.Exports;
using Sweep.Client.Output;
using Sweep.Grains.Abstractions.Trials;

namespace Sweep.Client.Reports;

/// <summary>Builds the report's charts from the export (no cluster, no files).</summary>
public static class ReportCharts
{
    /// <summary>Said in the report: what the training-dynamics charts show instead of gate values.</summary>
    public const string GateHistoryNote =
        "The results carry per-epoch layer widths and undecided-gate counts, not the gate values themselves; " +
        "these charts show how fast gates reach 0 or 1 through them: a layer's width falls as its gates reach 0, " +
        "and the undecided count (gates strictly between 0 and 1) falls to 0 as every gate reaches 0 or 1.";

    public static IReadOnlyList<ReportChart> Build(SweepExport export, ReportOptions options)
    {
        var groups = TrialGroup.FromExport(export);
        var charts = new List<ReportChart>(ClaimCharts.Build(export.Report));
        AddAblation(charts, groups);
        foreach (var group in groups)
        {
            AddByFactor(charts, group);
        }
        foreach (var group in groups)
        {
            AddDynamics(charts, group, options);
        }
        return charts;
    }

    /// <summary>Trials whose histories are plotted: one per (starting width, init), lowest seed first, spread over both factors.</summary>
    public static IReadOnlyList<TrialResult> SelectTrials(TrialGroup group, int count) =>
        group.Trials
            .Where(t => t.Epochs.Count > 0 || t.EpochWidths.Count > 0)
            .GroupBy(t => (TrialFactors.Width(t.Settings), TrialFactors.Init(t.Settings)))
            .Select(g => g.OrderBy(t => Number(TrialFactors.Seed(t.Settings))).ThenBy(t => t.Index).First())
            .OrderBy(t => Number(TrialFactors.Width(t.Settings)))
            .ThenBy(t => t.Index)
            .Take(Math.Max(0, count))
            .ToList();

    private static void AddAblation(List<ReportChart> charts, IReadOnlyList<TrialGroup> groups)
    {
        foreach (var architecture in groups.GroupBy(g => g.Architecture).Where(a => a.Count() >= 2))
        {
            var members = architecture.ToList();
            var categories = members.Select(g => g.ShortLabel).ToList();
            var slug = TrialGroup.Slugify(architecture.Key);
            var caption = $"{architecture.Key}: every completed trial a point (colored by starting width), the black bar is the group's mean. " +
                          "The flattening hyper-prior should end deterministic and as small as the fixed-prior ablation or smaller, at the same error.";
            foreach (var layer in members.SelectMany(g => g.Layers).Distinct(StringComparer.Ordinal))
            {
                var points = members.SelectMany(g => g.Trials.Select(t => (g, t, w: WidthOf(t, layer))).Where(x => x.w is not null)
                    .Select(x => new CategoryChart.Point(x.g.ShortLabel, x.w!.Value, TrialFactors.Width(x.t.Settings)))).ToList();
                charts.Add(new ReportChart($"ablation-{slug}-{TrialGroup.Slugify(layer)}-width", ReportSection.Ablation,
                    $"{layer}: final width by prior", caption,
                    CategoryChart.Create($"{architecture.Key} {layer}: final width by prior", "group", "final width (units / filters)", categories, points, "width")));
            }
            var errors = members.SelectMany(g => g.Trials.Select(t => new CategoryChart.Point(g.ShortLabel, t.TestError * 100, TrialFactors.Width(t.Settings)))).ToList();
            charts.Add(new ReportChart($"ablation-{slug}-test-error", ReportSection.Ablation, "Test error by prior", caption,
                CategoryChart.Create($"{architecture.Key}: test error by prior", "group", "test error (%)", categories, errors, "width")));
            var undecided = members.SelectMany(g => g.Trials.Select(t => new CategoryChart.Point(g.ShortLabel, t.UndecidedTolerant, TrialFactors.Width(t.Settings)))).ToList();
            charts.Add(new ReportChart($"ablation-{slug}-undecided", ReportSection.Ablation, "Undecided gates by prior", caption +
                    " Undecided: gates beyond the trainer's tolerance from 0 and 1 at the end.",
                CategoryChart.Create($"{architecture.Key}: undecided gates at the end", "group", "undecided gates (tolerant count)", categories, undecided, "width")));
        }
    }

    private static void AddByFactor(List<ReportChart> charts, TrialGroup group)
    {
        var widths = TrialFactors.OrderLevels(group.Trials.Select(t => TrialFactors.Width(t.Settings)));
        var inits = TrialFactors.OrderLevels(group.Trials.Select(t => TrialFactors.Init(t.Settings)));
        var factors = new (string Name, string Axis, IReadOnlyList<string> Levels, Func<TrialResult, string> Of, string Hue, Func<TrialResult, string> HueOf)[]
        {
            ("starting width", "starting width multiplier k", widths, t => TrialFactors.Width(t.Settings), "init", t => TrialFactors.Init(t.Settings)),
            ("initialization", "initialization", inits, t => TrialFactors.Init(t.Settings), "width", t => TrialFactors.Width(t.Settings)),
        };
        foreach (var factor in factors)
        {
            var factorSlug = factor.Name == "starting width" ? "by-width" : "by-init";
            foreach (var layer in group.Layers)
            {
                var points = group.Trials.Select(t => (t, w: WidthOf(t, layer))).Where(x => x.w is not null)
                    .Select(x => new CategoryChart.Point(factor.Of(x.t), x.w!.Value, factor.HueOf(x.t))).ToList();
                var starts = string.Join(", ", factor.Levels.Select(level => $"{level}: {StartWidth(group, layer, factor.Of, level)}"));
                charts.Add(new ReportChart($"{group.Slug}-{TrialGroup.Slugify(layer)}-width-{factorSlug}", ReportSection.FinalWidth,
                    $"{group.Label} — {layer} by {factor.Name}",
                    $"{group.Label}, layer {layer}: final width of every completed trial against the {factor.Name} (starting width of the layer per level: {starts}); the black bar is the mean.",
                    CategoryChart.Create($"{layer}: final width by {factor.Name} ({group.ShortLabel})", factor.Axis, "final width (units / filters)", factor.Levels, points, factor.Hue, factor.Name == "starting width"))
                { Group = group.Label });
            }
            var errors = group.Trials.Select(t => new CategoryChart.Point(factor.Of(t), t.TestError * 100, factor.HueOf(t))).ToList();
            charts.Add(new ReportChart($"{group.Slug}-test-error-{factorSlug}", ReportSection.TestError,
                $"{group.Label} — test error by {factor.Name}",
                $"{group.Label}: test error of the deterministic network (gates at theta >= 0.5) of every completed trial against the {factor.Name}; the black bar is the mean.",
                CategoryChart.Create($"Test error by {factor.Name} ({group.ShortLabel})", factor.Axis, "test error (%)", factor.Levels, errors, factor.Hue, factor.Name == "starting width"))
            { Group = group.Label });
        }
    }

    private static void AddDynamics(List<ReportChart> charts, TrialGroup group, ReportOptions options)
    {
        var selected = SelectTrials(group, options.TrialsPerGroup);
        if (selected.Count == 0)
        {
            return;
        }
        var names = selected.ToDictionary(t => t.Index, t => $"#{t.Index} k={TrialFactors.Width(t.Settings)} {TrialFactors.Init(t.Settings)} seed={TrialFactors.Seed(t.Settings)}");
        var which = $"Trials: {string.Join("; ", selected.Select(t => names[t.Index]))}.";
        foreach (var layer in group.Layers)
        {
            var plot = ChartStyle.NewPlot($"{layer}: width during training ({group.ShortLabel})", "epoch", "width (units / filters)");
            for (var i = 0; i < selected.Count; i++)
            {
                var t = selected[i];
                var layerIndex = IndexOf(t.LayerNames, layer);
                var history = WidthHistory(t);
                if (layerIndex < 0 || history.Count == 0)
                {
                    continue;
                }
                var xs = new List<double> { 0 };
                var ys = new List<double> { layerIndex < t.InitialWidths.Count ? t.InitialWidths[layerIndex] : history[0].Widths[layerIndex] };
                xs.AddRange(history.Select(h => (double)h.Epoch));
                ys.AddRange(history.Select(h => (double)h.Widths[layerIndex]));
                var line = plot.Add.Scatter(xs.ToArray(), ys.ToArray(), ChartStyle.Color(i));
                line.LegendText = names[t.Index];
            }
            plot.Axes.AutoScale();
            plot.Axes.SetLimitsY(0, plot.Axes.GetLimits().Top * 1.05);
            ChartStyle.IntegerBottomTicks(plot);
            ChartStyle.LegendBelow(plot);
            charts.Add(new ReportChart($"{group.Slug}-{TrialGroup.Slugify(layer)}-width-history", ReportSection.Dynamics,
                $"{group.Label} — {layer} width during training", $"{group.Label}, layer {layer}: width of the compacted network at the end of each epoch (epoch 0: the starting width). " +
                "Gates still undecided at the end are rounded at theta = 0.5, so the final width (charts above) can be below the last width here. " + which, plot)
            { Group = group.Label });
        }
        var undecided = ChartStyle.NewPlot($"Undecided gates during training ({group.ShortLabel})", "epoch", "gates strictly between 0 and 1");
        var any = false;
        for (var i = 0; i < selected.Count; i++)
        {
            var epochs = selected[i].Epochs;
            if (epochs.Count == 0)
            {
                continue;
            }
            any = true;
            var line = undecided.Add.Scatter(epochs.Select(e => (double)e.Epoch).ToArray(), epochs.Select(e => (double)e.Undecided).ToArray(), ChartStyle.Color(i));
            line.LegendText = names[selected[i].Index];
        }
        if (any)
        {
            undecided.Axes.AutoScale();
            undecided.Axes.SetLimitsY(0, Math.Max(1, undecided.Axes.GetLimits().Top * 1.05));
            ChartStyle.IntegerBottomTicks(undecided);
            ChartStyle.LegendBelow(undecided);
            charts.Add(new ReportChart($"{group.Slug}-undecided-history", ReportSection.Dynamics,
                $"{group.Label} — undecided gates during training", $"{group.Label}: gates strictly between 0 and 1 at the end of each epoch. {which}", undecided)
            { Group = group.Label });
        }

        var flops = ChartStyle.NewPlot($"Training cost per step ({group.ShortLabel})", "training step", "multiply-adds per step");
        var anyFlops = false;
        for (var i = 0; i < selected.Count; i++)
        {
            var epochs = selected[i].Epochs.Where(e => e.FlopsPerStep > 0).ToList();
            if (epochs.Count == 0)
            {
                continue;
            }
            anyFlops = true;
            var useSteps = epochs.All(e => e.Step > 0);
            var line = flops.Add.Scatter(epochs.Select(e => useSteps ? e.Step : (double)e.Epoch).ToArray(), epochs.Select(e => e.FlopsPerStep).ToArray(), ChartStyle.Color(i));
            line.LegendText = names[selected[i].Index];
        }
        if (anyFlops)
        {
            flops.Axes.AutoScale();
            flops.Axes.SetLimitsY(0, flops.Axes.GetLimits().Top * 1.05);
            ChartStyle.LegendBelow(flops);
            ChartStyle.CompactLeftTicks(flops);
            var spent = string.Join("; ", selected.Select(t => $"{names[t.Index]}: {Numbers.Percent(t.TrainFlopsFraction)} of dense training"));
            charts.Add(new ReportChart($"{group.Slug}-flops-per-step", ReportSection.Flops,
                $"{group.Label} — training multiply-adds per step",
                $"{group.Label}: training multiply-adds per step of the current (compacted) network, measured at each report; it falls as units are pruned. Total spent: {spent}.", flops)
            { Group = group.Label });
        }
    }

    private static IReadOnlyList<(int Epoch, IReadOnlyList<int> Widths)> WidthHistory(TrialResult t) =>
        t.Epochs.Count > 0 && t.Epochs.All(e => e.Widths.Count > 0)
            ? t.Epochs.Select(e => (e.Epoch, e.Widths)).ToList()
            : t.EpochWidths.Select((w, i) => (i + 1, w)).ToList();

    private static string StartWidth(TrialGroup group, string layer, Func<TrialResult, string> of, string level)
    {
        var widths = group.Trials.Where(t => of(t) == level).Select(t => (t, i: IndexOf(t.LayerNames, layer)))
            .Where(x => x.i >= 0 && x.i < x.t.InitialWidths.Count).Select(x => x.t.InitialWidths[x.i]).Distinct().Order().ToList();
        return widths.Count == 0 ? "?" : string.Join("/", widths.Select(w => w.ToString(CultureInfo.InvariantCulture)));
    }

    private static double? WidthOf(TrialResult t, string layer)
    {
        var i = IndexOf(t.LayerNames, layer);
        return i >= 0 && i < t.FinalWidths.Count ? t.FinalWidths[i] : null;
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (names[i] == name)
            {
                return i;
            }
        }
        return -1;
    }

    private static double Number(string text) => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : double.MaxValue;
}
