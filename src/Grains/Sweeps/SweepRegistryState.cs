using Sweep.Grains.Abstractions.Sweeps;

namespace Sweep.Grains.Sweeps;

[GenerateSerializer]
public sealed class SweepRegistryState
{
    [Id(0)] public Dictionary<string, SweepSummary> Sweeps { get; set; } = new(StringComparer.Ordinal);
}
