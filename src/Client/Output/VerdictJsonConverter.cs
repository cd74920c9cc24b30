using System.Text.Json;
using System.Text.Json.Serialization;
using Sweep.Grains.Abstractions.Reports;

namespace Sweep.Client.Output;

/// <summary>
/// Verdicts as names ("Holds", "Fails", "Inconclusive"). Bundles written before verdicts had three
/// outcomes say "NotTested" for what is now inconclusive; they are read as such, so that an old
/// bundle can still be reported (its report is recomputed from its results anyway).
/// </summary>
public sealed class VerdictJsonConverter : JsonConverter<Verdict>
{
    public override Verdict Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        if (string.Equals(text, "NotTested", StringComparison.OrdinalIgnoreCase))
        {
            return Verdict.Inconclusive;
        }
        if (text is not null && Enum.TryParse<Verdict>(text, ignoreCase: true, out var verdict) && Enum.IsDefined(verdict))
        {
            return verdict;
        }
        throw new JsonException($"'{text ?? reader.TokenType.ToString()}' is not a verdict (Holds, Fails or Inconclusive)");
    }

    public override void Write(Utf8JsonWriter writer, Verdict value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
}
