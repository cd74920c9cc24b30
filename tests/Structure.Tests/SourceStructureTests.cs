namespace Sweep.Structure.Tests;

/// <summary>
/// The layout rules of the layout (DESIGN.md, CONVENTIONS.md) that code review alone does not keep: no namespace
/// depends on itself through others inside a project, the layers know only what they may know, and no source
/// file grows past what a reader takes in at once.
/// </summary>
public sealed class SourceStructureTests
{
    private const int MaxLinesPerFile = 300;

    public static TheoryData<string> Projects() => new(SourceTree.AllProjects().Select(p => p.Project));

    [Theory]
    [MemberData(nameof(Projects))]
    public void No_namespace_depends_on_itself_through_other_namespaces(string project)
    {
        var tree = SourceTree.AllProjects().Single(p => p.Project == project);
        var graph = tree.NamespaceDependencies();
        var cycles = NamespaceCycles.Find(graph);
        Assert.True(cycles.Count == 0, $"src/{project}: namespaces that depend on each other: " + string.Join("; ", cycles.Select(c =>
            "{" + string.Join(", ", c) + "} by " + string.Join(", ", c.Select(from => $"{from} -> {string.Join("/", graph[from].Where(c.Contains))}")))));
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public void No_source_file_is_longer_than_the_limit(string project)
    {
        var tree = SourceTree.AllProjects().Single(p => p.Project == project);
        var longFiles = tree.Files.Where(f => f.Lines > MaxLinesPerFile).Select(f => $"{f.RelativePath} ({f.Lines} lines)").ToList();
        Assert.True(longFiles.Count == 0, $"src/{project}: files over {MaxLinesPerFile} lines: {string.Join(", ", longFiles)}");
    }

    [Theory]
    [InlineData("Pruning", "Orleans")]
    [InlineData("Pruning", "Sweep.Grains")]
    [InlineData("Analysis", "TorchSharp")]
    [InlineData("Analysis", "Sweep.Pruning")]
    [InlineData("Analysis", "Sweep.Grains.Trials")]
    [InlineData("Analysis", "Sweep.Grains.Sweeps")]
    [InlineData("Grains.Abstractions", "TorchSharp")]
    [InlineData("Grains.Abstractions", "Sweep.Pruning")]
    [InlineData("Client", "Sweep.Grains.Trials")]
    [InlineData("Client", "Sweep.Grains.Sweeps")]
    [InlineData("Options", "Orleans")]
    [InlineData("Options", "TorchSharp")]
    [InlineData("Options", "Sweep.Grains")]
    [InlineData("Options", "Sweep.Pruning")]
    public void A_layer_does_not_use_what_it_must_not_know(string project, string forbiddenNamespace)
    {
        var tree = SourceTree.AllProjects().Single(p => p.Project == project);
        var offenders = tree.Files
            .Where(f => f.UsedNamespaces.Concat(f.QualifiedNames).Any(n => n == forbiddenNamespace || n.StartsWith(forbiddenNamespace + ".", StringComparison.Ordinal)))
            .Select(f => f.RelativePath)
            .ToList();
        Assert.True(offenders.Count == 0, $"src/{project} must not use {forbiddenNamespace}: {string.Join(", ", offenders)}");
    }
}
