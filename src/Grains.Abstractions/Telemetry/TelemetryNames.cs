namespace Sweep.Grains.Abstractions.Telemetry;

/// <summary>
/// The tracing vocabulary shared by the client and the silos: the product's ActivitySource name, span names and
/// attribute keys. The client starts the <see cref="Spans.Launch"/> span with <c>new ActivitySource(Source)</c>;
/// with Orleans' activity propagation on both sides, the silos' trial, epoch and checkpoint spans join its trace.
/// The silo's metric names live with its instrumentation (Sweep.Grains.Telemetry.TelemetryNames).
/// </summary>
public static class TelemetryNames
{
    /// <summary>The one Meter and the one ActivitySource of the product.</summary>
    public const string Source = "Sweep";

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
