namespace Sweep.Pruning.Training;

/// <summary>
/// Opaque, self-contained checkpoint: weights, gate parameters, optimizer state, RNG state, step,
/// epoch and the current compacted architecture, as bytes a host can store anywhere.
/// </summary>
public sealed record TrainingCheckpoint(int Epoch, long Step, byte[] Payload)
{
    /// <summary>A checkpoint from stored payload bytes (epoch and step are read from them). Throws <see cref="TrainingFailedException"/> ("bad-checkpoint") for bytes that are not one.</summary>
    public static TrainingCheckpoint FromPayload(byte[] payload)
    {
        var header = CheckpointCodec.DecodeHeader(payload);
        return new TrainingCheckpoint(header.Epoch, header.Step, payload);
    }
}
