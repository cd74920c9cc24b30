namespace Sweep.Structure.Tests;

/// <summary>
/// The C# sources of one project under src/, read as text: the namespace each file declares, the types it
/// declares, and the namespaces it refers to (using directives, fully qualified names, and unqualified use of
/// a type declared in an enclosing namespace, which C# resolves without a using).
/// </summary>
public sealed class SourceTree
{
    public required string Project { get; init; }
    public required IReadOnlyList<SourceFile> Files { get; init; }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Sweep.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"no Sweep.sln above {AppContext.BaseDirectory}");
    }

    public static IReadOnlyList<SourceTree> AllProjects()
    {
        var src = Path.Combine(RepositoryRoot(), "src");
        return Directory.GetDirectories(src).Order(StringComparer.Ordinal).Select(Load).ToList();
    }

    public static SourceTree Load(string projectDirectory) => new()
    {
        Project = Path.GetFileName(projectDirectory),
        Files = Directory.EnumerateFiles(projectDirectory, "*.cs", SearchOption.AllDirectories)
            .Where(path => !IsBuildOutput(projectDirectory, path))
            .Order(StringComparer.Ordinal)
            .Select(path => SourceFile.Read(projectDirectory, path))
            .ToList(),
    };

    private static bool IsBuildOutput(string projectDirectory, string path)
    {
        var first = Path.GetRelativePath(projectDirectory, path).Split(Path.DirectorySeparatorChar)[0];
        return first is "obj" or "bin";
    }

    /// <summary>Namespace -> the namespaces of this project it depends on (itself excluded).</summary>
    public IReadOnlyDictionary<string, SortedSet<string>> NamespaceDependencies()
    {
        var declared = Files.Where(f => f.Namespace is not null).GroupBy(f => f.Namespace!)
            .ToDictionary(g => g.Key, g => g.SelectMany(f => f.DeclaredTypes).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);
        var graph = declared.Keys.ToDictionary(ns => ns, _ => new SortedSet<string>(StringComparer.Ordinal), StringComparer.Ordinal);
        foreach (var file in Files.Where(f => f.Namespace is not null))
        {
            var from = file.Namespace!;
            foreach (var target in file.UsedNamespaces.Where(declared.ContainsKey))
            {
                graph[from].Add(target);
            }
            foreach (var name in file.QualifiedNames)
            {
                if (LongestNamespacePrefix(name, declared) is { } target)
                {
                    graph[from].Add(target);
                }
            }
            foreach (var enclosing in EnclosingNamespaces(from).Where(declared.ContainsKey))
            {
                if (declared[enclosing].Any(type => file.UsesIdentifier(type)))
                {
                    graph[from].Add(enclosing);
                }
            }
            graph[from].Remove(from);
        }
        return graph;
    }

    private static string? LongestNamespacePrefix(string name, Dictionary<string, HashSet<string>> declared)
    {
        for (var candidate = name; candidate.Length > 0; candidate = candidate.LastIndexOf('.') is var dot and > 0 ? candidate[..dot] : "")
        {
            if (declared.ContainsKey(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    private static IEnumerable<string> EnclosingNamespaces(string ns)
    {
        for (var dot = ns.LastIndexOf('.'); dot > 0; dot = ns.LastIndexOf('.', dot - 1))
        {
            yield return ns[..dot];
        }
    }
}
