namespace Sweep.Grains.Abstractions.Trials;

/// <summary>
/// One trial of a sweep: the dataset and the full set of training options, by their `sweep train`
/// names (arch, width, init, seed, epochs, batch-size, ...), as invariant-culture strings.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record TrialSpec
{
    /// <summary>0-based position in the sweep's expansion.</summary>
    [Id(0)] public required int Index { get; init; }
    /// <summary>Name of the grid that produced the trial.</summary>
    [Id(1)] public required string Grid { get; init; }
    /// <summary>A known dataset name ("mnist") or the full path of a directory of IDX files.</summary>
    [Id(2)] public required string Dataset { get; init; }
    /// <summary>Training options by name; ordinal keys.</summary>
    [Id(3)] public required IReadOnlyDictionary<string, string> Settings { get; init; }

    public string? Setting(string name) => Settings.TryGetValue(name, out var value) ? value : null;

    /// <summary>"arch=lenet300-100 init=orthogonal seed=1 width=1 ...", keys sorted.</summary>
    public string Describe() => Describe(Settings);

    /// <summary>The settings as "key=value" pairs, keys sorted: equal texts mean the same trial of a design.</summary>
    public static string Describe(IReadOnlyDictionary<string, string> settings) =>
        string.Join(' ', settings.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key}={s.Value}"));
}
