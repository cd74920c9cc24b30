namespace Sweep.Grains.Abstractions.Specs;

/// <summary>One problem of a sweep spec: where (a key path such as "grids[1].init[0]") and what.</summary>
public sealed record SpecError(string Path, string Message)
{
    /// <summary>1-based line in the spec file, when known.</summary>
    public int? Line { get; init; }

    /// <summary>1-based column in the spec file, when known (syntax errors).</summary>
    public int? Column { get; init; }

    public override string ToString() => (Line, Column) switch
    {
        ({ } line, { } column) => $"line {line}, column {column}: {Path}: {Message}",
        ({ } line, null) => $"line {line}: {Path}: {Message}",
        _ => $"{Path}: {Message}",
    };
}
