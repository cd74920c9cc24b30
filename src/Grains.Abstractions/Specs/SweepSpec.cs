namespace Sweep.Grains.Abstractions.Specs;

/// <summary>
/// A robustness sweep: the base training options and one or more grids whose Cartesian products,
/// united, are the sweep's trials. Build it with <see cref="SweepSpecParser"/> (YAML or JSON);
/// values are invariant-culture strings, normalized by the option schema (Sweep.Options.TrialOptionSchema).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record SweepSpec
{
    [Id(0)] public required string Name { get; init; }
    [Id(1)] public string? Description { get; init; }
    /// <summary>Value of the `arch` option unless a grid varies it.</summary>
    [Id(2)] public required string Architecture { get; init; }
    /// <summary>A known dataset name ("mnist") or the full path of a directory of IDX files.</summary>
    [Id(3)] public required string Dataset { get; init; }
    [Id(4)] public int? Epochs { get; init; }
    [Id(5)] public int? BatchSize { get; init; }
    /// <summary>Method options (every option of `sweep train` but arch, epochs, batch-size and threads), by name.</summary>
    [Id(6)] public IReadOnlyDictionary<string, string> Options { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);
    [Id(7)] public required IReadOnlyList<SweepGrid> Grids { get; init; }
    /// <summary>How the claims are judged (margins, confidence, minimum trials, thresholds); null: the defaults.</summary>
    [Id(8)] public VerdictSpec? Verdicts { get; init; }
    /// <summary>
    /// Trials of the grids that this sweep does not run because they already completed elsewhere
    /// (`sweep launch --only-missing`), each given by its full settings: the expansion leaves them
    /// out, so the sweep's trials are the rest of the design. Empty for an ordinary sweep.
    /// </summary>
    [Id(9)] public IReadOnlyList<IReadOnlyDictionary<string, string>> Skip { get; init; } = Array.Empty<IReadOnlyDictionary<string, string>>();
}
