using Sweep.Grains.Abstractions.Trials;

namespace Sweep.Grains.Trials;

/// <summary>The trial's last checkpoint: opaque trainer bytes from which any silo can resume it exactly.</summary>
[GenerateSerializer]
public sealed class TrialCheckpointState
{
    [Id(0)] public int Epoch { get; set; }
    [Id(1)] public long Step { get; set; }
    [Id(2)] public byte[]? Payload { get; set; }
    [Id(3)] public DateTime SavedAt { get; set; }
}
