using Shared = Sweep.Grains.Abstractions.Telemetry.TelemetryNames;

namespace Sweep.Grains.Telemetry;

/// <summary>
/// Every name Sweep's telemetry exports: the product's Meter and ActivitySource, instruments, spans and
/// attributes. docs/METRICS.md documents each; the Grafana dashboards in deploy/ query their Prometheus forms.
/// The source, span and attribute names are those of Grains.Abstractions (<see cref="Shared"/>), which the client
/// uses for its launch span; the metric names are the silo's own.
/// </summary>
public static class TelemetryNames
{
    /// <summary>The one Meter and the one ActivitySource of the product.</summary>
    public const string Source = Shared.Source;

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

        /// <summary>The per-trial gauges, whose series live only while the trial is tracked (see <see cref="TrialSeriesRetention"/>).</summary>
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
        public const string Launch = Shared.Spans.Launch;
        public const string Trial = Shared.Spans.Trial;
        public const string Epoch = Shared.Spans.Epoch;
        public const string Checkpoint = Shared.Spans.Checkpoint;
    }

    /// <summary>Attribute keys on metrics and spans (Prometheus labels of the same name).</summary>
    public static class Attributes
    {
        public const string Sweep = Shared.Attributes.Sweep;
        public const string Trial = Shared.Attributes.Trial;
        public const string Architecture = Shared.Attributes.Architecture;
        public const string Layer = Shared.Attributes.Layer;
        public const string State = Shared.Attributes.State;
        public const string Reason = Shared.Attributes.Reason;
        public const string Epoch = Shared.Attributes.Epoch;
        public const string StartEpoch = Shared.Attributes.StartEpoch;
        public const string TrialCount = Shared.Attributes.TrialCount;
        public const string Bytes = Shared.Attributes.Bytes;
        public const string Loss = Shared.Attributes.Loss;
        public const string TestError = Shared.Attributes.TestError;
    }
}
