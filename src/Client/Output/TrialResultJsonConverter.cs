using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Sweep.Grains.Abstractions.Trials;

namespace Sweep.Client.Output;

/// <summary>
/// A trial that did not complete has no metrics: its metric fields are null in JSON, not the zeros
/// the record holds on the wire (where they are plain numbers). Reading accepts those nulls back.
/// </summary>
public sealed class TrialResultJsonConverter : JsonConverter<TrialResult>
{
    /// <summary>The fields that are measurements of a completed trial (bookkeeping such as attempts, silos and times stays).</summary>
    public static IReadOnlyList<string> Metrics { get; } =
    [
        nameof(TrialResult.Parameters), nameof(TrialResult.ParametersFraction), nameof(TrialResult.Flops), nameof(TrialResult.FlopsFraction), nameof(TrialResult.ValidationError),
        nameof(TrialResult.TestError), nameof(TrialResult.TestErrorMeanNet), nameof(TrialResult.Undecided), nameof(TrialResult.UndecidedTolerant),
        nameof(TrialResult.UndecidedTolerance), nameof(TrialResult.TrainFlops), nameof(TrialResult.TrainFlopsFraction), nameof(TrialResult.WallSeconds),
    ];

    private readonly JsonSerializerOptions _inner;

    /// <param name="inner">The options to (de)serialize the record's fields with; they must not hold this converter.</param>
    public TrialResultJsonConverter(JsonSerializerOptions inner) => _inner = inner;

    public override TrialResult Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var node = JsonNode.Parse(ref reader) as JsonObject ?? throw new JsonException("a trial result must be a JSON object");
        foreach (var name in Names(options))
        {
            if (node.TryGetPropertyValue(name, out var value) && value is null)
            {
                node.Remove(name);
            }
        }
        return node.Deserialize<TrialResult>(_inner) ?? throw new JsonException("a trial result must be a JSON object");
    }

    public override void Write(Utf8JsonWriter writer, TrialResult value, JsonSerializerOptions options)
    {
        var node = JsonSerializer.SerializeToNode(value, _inner)!.AsObject();
        if (value.State != TrialState.Completed)
        {
            foreach (var name in Names(options))
            {
                node[name] = null;
            }
        }
        node.WriteTo(writer, options);
    }

    private static IEnumerable<string> Names(JsonSerializerOptions options) =>
        Metrics.Select(m => options.PropertyNamingPolicy?.ConvertName(m) ?? m);
}
