using Sweep.Client.Exports;

namespace Sweep.Client.Bundles;

/// <summary>Bundles merged into one export of their design, with what the merge decided that a reader should know.</summary>
public sealed record MergedResults(SweepExport Export, IReadOnlyList<string> Notices);
