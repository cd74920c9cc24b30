namespace Sweep.Pruning.Engine;

/// <summary>The check process's report, or why there is none (it could not start, crashed, timed out or printed no report).</summary>
public sealed record ConvolutionCheckOutcome(ConvolutionCheckReport? Report, string? Problem);
