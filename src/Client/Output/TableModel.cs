namespace Sweep.Client.Output;

/// <summary>A table as text cells, rendered by both the console (Spectre) and the HTML report, so the two show the same numbers.</summary>
public sealed record TableModel(string Title, IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string>> Rows)
{
    /// <summary>Rows that start a new group (a separator is drawn before them).</summary>
    public IReadOnlySet<int> GroupStarts { get; init; } = new HashSet<int>();

    /// <summary>Notes printed under the table.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}
