namespace Sweep.Structure.Tests;

/// <summary>The cycle finder and the source reader on small generated inputs, so that a clean tree means something.</summary>
public sealed class NamespaceCyclesTests
{
    [Fact]
    public void A_chain_has_no_cycle_and_a_back_edge_makes_one()
    {
        var chain = Graph(("A", "B"), ("B", "C"));
        Assert.Empty(NamespaceCycles.Find(chain));

        var loop = Graph(("A", "B"), ("B", "C"), ("C", "A"), ("C", "D"));
        var cycle = Assert.Single(NamespaceCycles.Find(loop));
        Assert.Equal(["A", "B", "C"], cycle);
    }

    [Fact]
    public void The_reader_sees_usings_qualified_names_and_unqualified_use_of_an_enclosing_namespace()
    {
        var root = Directory.CreateTempSubdirectory("sweep-structure-");
        try
        {
            Write(root, "Root.cs", "namespace Sweep.Demo;\npublic static class ExitCodes { public const int Ok = 0; }\npublic static class App { public static int Run() => Sweep.Demo.Commands.Launch.Go(); }\n");
            Write(root, "Commands/Launch.cs", "namespace Sweep.Demo.Commands;\npublic static class Launch { public static int Go() => ExitCodes.Ok; }\n");
            Write(root, "Output/Table.cs", "using Sweep.Demo.Commands;\n// ExitCodes in a comment is no use\nnamespace Sweep.Demo.Output;\npublic static class Table { public const string Name = \"ExitCodes\"; }\n");
            Write(root, "obj/Generated.cs", "namespace Sweep.Demo.Generated;\nusing Sweep.Demo;\npublic static class G { }\n");

            var tree = SourceTree.Load(root.FullName);
            var graph = tree.NamespaceDependencies();

            Assert.Equal(["Sweep.Demo", "Sweep.Demo.Commands", "Sweep.Demo.Output"], graph.Keys.Order(StringComparer.Ordinal));
            Assert.Equal(["Sweep.Demo.Commands"], graph["Sweep.Demo"]);
            Assert.Equal(["Sweep.Demo"], graph["Sweep.Demo.Commands"]);
            Assert.Equal(["Sweep.Demo.Commands"], graph["Sweep.Demo.Output"]);
            Assert.Equal(["Sweep.Demo", "Sweep.Demo.Commands"], Assert.Single(NamespaceCycles.Find(graph)));
            Assert.Equal(3, tree.Files.Single(f => f.RelativePath == "Root.cs").Lines);
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    private static void Write(DirectoryInfo root, string relativePath, string text)
    {
        var path = Path.Combine(root.FullName, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    private static Dictionary<string, SortedSet<string>> Graph(params (string From, string To)[] edges)
    {
        var graph = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var (from, to) in edges)
        {
            (graph.TryGetValue(from, out var set) ? set : graph[from] = new SortedSet<string>(StringComparer.Ordinal)).Add(to);
            graph.TryAdd(to, new SortedSet<string>(StringComparer.Ordinal));
        }
        return graph;
    }
}
