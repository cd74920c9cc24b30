using YamlDotNet.RepresentationModel;

namespace Sweep.Observability.Tests.Support;

/// <summary>YAML documents through YamlDotNet's representation model, with small navigation helpers.</summary>
public static class Yaml
{
    public static IReadOnlyList<YamlMappingNode> LoadAll(string path)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(path))
        {
            stream.Load(reader);
        }

        return stream.Documents
            .Where(d => d.RootNode is not YamlScalarNode { Value: null or "" })
            .Select(d => d.RootNode as YamlMappingNode ?? throw new InvalidDataException($"{path}: a document is not a mapping"))
            .ToList();
    }

    public static YamlMappingNode Load(string path) => LoadAll(path).Single();

    public static YamlNode? Get(this YamlNode node, params string[] path)
    {
        var current = node;
        foreach (var key in path)
        {
            if (current is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(key), out current))
            {
                return null;
            }
        }

        return current;
    }

    public static string? Text(this YamlNode node, params string[] path) => (node.Get(path) as YamlScalarNode)?.Value;

    public static YamlMappingNode Map(this YamlNode node, params string[] path) =>
        node.Get(path) as YamlMappingNode ?? throw new InvalidDataException($"no mapping at {string.Join('.', path)}");

    public static IEnumerable<YamlNode> Seq(this YamlNode node, params string[] path) =>
        (node.Get(path) as YamlSequenceNode)?.Children ?? Enumerable.Empty<YamlNode>();

    public static Dictionary<string, string?> Scalars(this YamlMappingNode map) =>
        map.Children.ToDictionary(kv => ((YamlScalarNode)kv.Key).Value!, kv => (kv.Value as YamlScalarNode)?.Value);
}
