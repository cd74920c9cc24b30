using System.Text.RegularExpressions;

namespace Sweep.Structure.Tests;

/// <summary>One C# source file: its path relative to its project, line count, namespace, types and references.</summary>
public sealed partial class SourceFile
{
    public required string RelativePath { get; init; }
    public required int Lines { get; init; }
    public required string? Namespace { get; init; }
    public required IReadOnlyList<string> DeclaredTypes { get; init; }
    /// <summary>Namespaces named by a plain using directive.</summary>
    public required IReadOnlySet<string> UsedNamespaces { get; init; }
    /// <summary>Dotted names starting with "Sweep." in code or in static/alias usings: a namespace followed by a type or member.</summary>
    public required IReadOnlySet<string> QualifiedNames { get; init; }
    private HashSet<string> Identifiers { get; init; } = [];

    public bool UsesIdentifier(string name) => Identifiers.Contains(name);

    public static SourceFile Read(string projectDirectory, string path)
    {
        var text = File.ReadAllText(path);
        var code = StripCommentsAndStrings(text);
        var declarations = DeclarationLine().Replace(code, "");
        var namespaces = new HashSet<string>(StringComparer.Ordinal);
        var qualifiedNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match directive in UsingDirective().Matches(code))
        {
            // "using A.B;" names a namespace; "using static A.B.T;" and "using X = A.B.T;" name a type in one.
            var byType = directive.Groups["static"].Success || directive.Groups["alias"].Success;
            (byType ? qualifiedNames : namespaces).Add(directive.Groups["name"].Value);
        }
        foreach (Match qualified in QualifiedName().Matches(declarations))
        {
            qualifiedNames.Add(qualified.Value);
        }
        var ns = NamespaceDeclaration().Match(code);
        return new SourceFile
        {
            RelativePath = Path.GetRelativePath(projectDirectory, path),
            Lines = text.Split('\n').Length - (text.EndsWith('\n') ? 1 : 0),
            Namespace = ns.Success ? ns.Groups["name"].Value : null,
            DeclaredTypes = TypeDeclaration().Matches(code).Select(m => m.Groups["name"].Value).Distinct().ToList(),
            UsedNamespaces = namespaces,
            QualifiedNames = qualifiedNames,
            Identifiers = Identifier().Matches(declarations).Select(m => m.Value).ToHashSet(StringComparer.Ordinal),
        };
    }

    /// <summary>Comments and string literals can name anything; only code counts as a reference.</summary>
    private static string StripCommentsAndStrings(string text) =>
        CommentOrString().Replace(text, m => m.Value.StartsWith("//", StringComparison.Ordinal) || m.Value.StartsWith("/*", StringComparison.Ordinal) ? " " : "\"\"");

    [GeneratedRegex("""//[^\n]*|/\*.*?\*/|@"(?:[^"]|"")*"|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])'""", RegexOptions.Singleline)]
    private static partial Regex CommentOrString();

    [GeneratedRegex(@"^\s*(?:global\s+)?using\s+(?<static>static\s+)?(?<alias>\w+\s*=\s*)?(?<name>[\w.]+)\s*;", RegexOptions.Multiline)]
    private static partial Regex UsingDirective();

    [GeneratedRegex(@"^\s*(?:(?:global\s+)?using\s+(?:static\s+)?(?:\w+\s*=\s*)?[\w.]+\s*;|namespace\s+[\w.]+\s*[;{])", RegexOptions.Multiline)]
    private static partial Regex DeclarationLine();

    [GeneratedRegex(@"^\s*namespace\s+(?<name>[\w.]+)", RegexOptions.Multiline)]
    private static partial Regex NamespaceDeclaration();

    [GeneratedRegex(@"\b(?:class|record|struct|interface|enum)\s+(?<name>[A-Z]\w*)")]
    private static partial Regex TypeDeclaration();

    [GeneratedRegex(@"\bSweep(?:\.[A-Za-z_]\w*)+")]
    private static partial Regex QualifiedName();

    [GeneratedRegex(@"\b[A-Z]\w*")]
    private static partial Regex Identifier();
}
