using System.Text.Json.Nodes;

namespace Sweep.Observability.Tests.Support;

/// <summary>The provisioned Grafana dashboards and the queries in them.</summary>
public static class Dashboards
{
    public static readonly string[] Files = ["sweep-overview.json", "trial-detail.json", "cluster.json"];

    public static string PathOf(string file) => RepoPaths.Of("deploy", "grafana", "dashboards", file);

    public static JsonNode Load(string file) => JsonNode.Parse(File.ReadAllText(PathOf(file)))
        ?? throw new InvalidOperationException($"{file} is empty");

    /// <summary>Every PromQL expression of the panels (targets[].expr) and every variable query.</summary>
    public static IReadOnlyList<string> Queries(JsonNode dashboard)
    {
        var queries = new List<string>();
        Collect(dashboard["panels"], queries);
        foreach (var variable in dashboard["templating"]?["list"]?.AsArray() ?? [])
        {
            if (variable?["query"] is JsonObject q && q["query"]?.GetValue<string>() is { } text)
            {
                queries.Add(text);
            }
            else if (variable?["query"] is JsonValue v && v.TryGetValue<string>(out var s))
            {
                queries.Add(s);
            }
        }

        return queries;
    }

    private static void Collect(JsonNode? node, List<string> queries)
    {
        switch (node)
        {
            case JsonArray array:
                foreach (var item in array)
                {
                    Collect(item, queries);
                }

                break;
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    if (key == "expr" && value is JsonValue expr)
                    {
                        queries.Add(expr.GetValue<string>());
                    }
                    else
                    {
                        Collect(value, queries);
                    }
                }

                break;
        }
    }

    /// <summary>The expression with Grafana's variables replaced by values Prometheus accepts.</summary>
    public static string Instantiate(string query) => query
        .Replace("$__rate_interval", "1m", StringComparison.Ordinal)
        .Replace("$__interval", "15s", StringComparison.Ordinal)
        .Replace("$__range", "1h", StringComparison.Ordinal)
        .Replace("$sweep", ".*", StringComparison.Ordinal)
        .Replace("$trial", ".*", StringComparison.Ordinal)
        .Replace("$job", ".*", StringComparison.Ordinal)
        .Replace("$instance", ".*", StringComparison.Ordinal);
}
