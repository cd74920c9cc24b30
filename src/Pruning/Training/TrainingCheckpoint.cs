namespace Sweep.Pruning.Training;

/// <summary>
/// Opaque, self-contained checkpoint: weights, gate parameters, optimizer state, RNG state, step,
/// epoch and the current compacted architecture, as bytes a host can store anywhere.
/// </summary>
public sealed record TrainingCheckpoint(int Epoch, long Step, byte[] Payload);
