namespace Sweep.Pruning.Training;

/// <summary>The network a trial started from: the denominators of its pruned fractions.</summary>
internal sealed record StartingNetwork(int[] Widths, long Parameters, long Flops);
