using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sweep.Client.Output;

/// <summary>The JSON form of every record the client prints or exports (camelCase, enums as names, indented).</summary>
public static class SweepJson
{
    public static JsonSerializerOptions Options { get; } = Create(withResultConverter: true);

    private static JsonSerializerOptions Create(bool withResultConverter)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            WriteIndented = true,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
            Converters = { new VerdictJsonConverter(), new JsonStringEnumConverter() },
        };
        if (withResultConverter)
        {
            // A failed trial's metrics are null, not 0 (the converter writes the fields with the plain options).
            options.Converters.Add(new TrialResultJsonConverter(Create(withResultConverter: false)));
        }
        return options;
    }

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options) + Environment.NewLine;

    public static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new JsonException($"JSON holds null, not a {typeof(T).Name}");
}
