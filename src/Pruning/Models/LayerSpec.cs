namespace Sweep.Pruning.Models;

/// <summary>The shape of one layer before training: its kind, output width, kernel and pooling.</summary>
public sealed record LayerSpec(string Name, LayerKind Kind, int Width, int Kernel = 1, int Pool = 1);
