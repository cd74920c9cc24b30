namespace Sweep.Pruning.Engine;

/// <summary>
/// What Sweep does with oneDNN's ISA: <paramref name="Cap"/> is the ISA in ONEDNN_MAX_CPU_ISA (null: none,
/// oneDNN picks the fastest the CPU has); Sweep writes or removes the variable only when
/// <paramref name="SetByProcess"/> (a value the user set is left alone). <paramref name="Pending"/>: capped until the
/// per-machine check has run.
/// </summary>
public sealed record ConvolutionIsaDecision(string? Cap, bool SetByProcess, bool Pending, string Status);
