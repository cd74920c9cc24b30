namespace Sweep.Grains.Abstractions.Specs;

/// <summary>The syntax a spec text is written in: a <c>.json</c> file is JSON, anything else YAML.</summary>
public enum SpecFormat
{
    Yaml,
    Json,
}
