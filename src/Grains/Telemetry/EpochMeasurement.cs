namespace Sweep.Grains.Telemetry;

/// <summary>
/// What one finished epoch of a trial measured, as plain values for <see cref="SweepTelemetry.RecordEpoch"/>.
/// Fractions are in [0, 1]; FLOPs are the trainer's multiply-add counts.
/// </summary>
public sealed record EpochMeasurement
{
    /// <summary>1-based number of the epoch just completed.</summary>
    public required int Epoch { get; init; }

    /// <summary>Wall seconds this epoch took (training, evaluation).</summary>
    public required double DurationSeconds { get; init; }

    /// <summary>Training examples processed in this epoch.</summary>
    public required long Examples { get; init; }

    /// <summary>Training multiply-adds spent in this epoch.</summary>
    public required double TrainingFlops { get; init; }

    /// <summary>Training multiply-adds per step of the current (pruned) network.</summary>
    public required double FlopsPerStep { get; init; }

    public required double TrainLoss { get; init; }

    /// <summary>Test error of the deterministic network; NaN when not evaluated this epoch (the gauge keeps its last value).</summary>
    public double TestError { get; init; } = double.NaN;

    /// <summary>Current width of each gated layer.</summary>
    public required IReadOnlyList<int> Widths { get; init; }

    /// <summary>Names of the gated layers, parallel to <see cref="Widths"/>; null labels layers by index ("0", "1", ...).</summary>
    public IReadOnlyList<string>? LayerNames { get; init; }

    /// <summary>Gates still strictly between closed and open.</summary>
    public required int UndecidedGates { get; init; }

    /// <summary>Fraction of the starting network's parameters pruned so far; null when the runner does not know it.</summary>
    public double? PrunedParametersFraction { get; init; }

    /// <summary>Fraction of the starting network's forward FLOPs pruned so far; null when the runner does not know it.</summary>
    public double? PrunedFlopsFraction { get; init; }
}
