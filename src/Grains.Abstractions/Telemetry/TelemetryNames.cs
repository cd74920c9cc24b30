namespace Sweep.Grains.Abstractions.Telemetry;

/// <summary>
/// Every name Sweep's telemetry exports: the product's Meter and ActivitySource, its instruments, spans and
/// attributes. Here, in the contract assembly, because both sides use them: the client starts the
/// <see cref="Spans.Launch"/> span with <c>new ActivitySource(Source)</c> and, with Orleans' activity propagation
/// on both sides, the silos' trial, epoch and checkpoint spans join its trace; the silo's instrumentation
/// (Sweep.Grains.Telemetry.SweepTelemetry) creates the instruments. docs/METRICS.md documents each name; the
/// Grafana dashboards in deploy/ query their Prometheus forms.
/// </summary>
public static class TelemetryNames
{
    /// <summary>The one Meter and the one ActivitySource of the product.</summary>
    public const string Source = "Sweep";

    /// <summary>Instrument names (OpenTelemetry form; Prometheus replaces dots by underscores and appends unit and _total suffixes).</summary>
    public static class Metrics
    {
        // Sweep level, reported by the coordinator (SweepGrain).
        public const string Trials = "sweep.trials";
        public const string Eta = "sweep.eta";

        // Trial lifecycle.
        public const string TrialTransitions = "sweep.trial.transitions";
        public const string TrialRestarts = "sweep.trial.restarts";

        // Training, per epoch (aggregated per sweep and architecture).
        public const string EpochDuration = "sweep.trial.epoch.duration";
        public const string TrainingExamples = "sweep.trial.training.examples";
        public const string TrainingFlops = "sweep.trial.training.flops";

        // Checkpoints.
        public const string CheckpointDuration = "sweep.trial.checkpoint.duration";
        public const string CheckpointSize = "sweep.trial.checkpoint.size";

        // Latest values per running trial (observable gauges).
        public const string Epochs = "sweep.trial.epochs";
        public const string Loss = "sweep.trial.loss";
        public const string TestError = "sweep.trial.test_error";
        public const string LayerWidth = "sweep.trial.layer.width";
        public const string UndecidedGates = "sweep.trial.gates.undecided";
        public const string PrunedParameters = "sweep.trial.pruned.parameters";
        public const string PrunedFlops = "sweep.trial.pruned.flops";
        public const string StepFlops = "sweep.trial.step.flops";
        public const string ExampleRate = "sweep.trial.training.example_rate";
        public const string FlopRate = "sweep.trial.training.flop_rate";

        /// <summary>The per-trial gauges, whose series live only while the silo tracks the trial (its retention settings).</summary>
        public static readonly IReadOnlyList<string> PerTrialGauges =
        [
            Epochs, Loss, TestError, LayerWidth, UndecidedGates, PrunedParameters, PrunedFlops, StepFlops, ExampleRate, FlopRate,
        ];

        /// <summary>Every instrument on the Sweep meter.</summary>
        public static readonly IReadOnlyList<string> All =
        [
            Trials, Eta, TrialTransitions, TrialRestarts, EpochDuration, TrainingExamples, TrainingFlops,
            CheckpointDuration, CheckpointSize, .. PerTrialGauges,
        ];
    }

    /// <summary>Span names, low cardinality; the identifiers go in attributes.</summary>
    public static class Spans
    {
        /// <summary>The root span of <c>sweep launch</c>, started by the client (attributes sweep, trials).</summary>
        public const string Launch = "sweep launch";
        public const string Trial = "trial";
        public const string Epoch = "epoch";
        public const string Checkpoint = "checkpoint";
    }

    /// <summary>Attribute keys on spans and metrics (Prometheus labels of the same name).</summary>
    public static class Attributes
    {
        public const string Sweep = "sweep";
        public const string Trial = "trial";
        public const string Architecture = "architecture";
        public const string Layer = "layer";
        public const string State = "state";
        public const string Reason = "reason";
        public const string Epoch = "epoch";
        public const string StartEpoch = "start_epoch";

        /// <summary>On the launch span: how many trials the sweep has.</summary>
        public const string TrialCount = "trials";
        public const string Bytes = "bytes";
        public const string Loss = "loss";
        public const string TestError = "test_error";
    }
}
