namespace Sweep.Options;

/// <summary>
/// One row of <see cref="TrialOptionSchema"/>: an option's name (the spec key, the `sweep train`
/// flag and the settings key, one spelling everywhere), what its value is, its default and help.
/// </summary>
public abstract class TrialOption
{
    private protected TrialOption(string name, OptionKind kind, string help)
    {
        Name = name;
        Kind = kind;
        Help = help;
    }

    public string Name { get; }

    public OptionKind Kind { get; }

    /// <summary>One line for --help and error messages.</summary>
    public string Help { get; }

    /// <summary>The placeholder of the value in `sweep train --NAME VALUE`.</summary>
    public string ValueName { get; init; } = "X";

    /// <summary>A robustness factor: the analysis compares trials that differ only in these.</summary>
    public bool IsFactor { get; init; }

    /// <summary>The field of `sweep train --json` that carries the value; null when only "options" carries it.</summary>
    public string? JsonField { get; init; }

    /// <summary>Why a spec may not set the option (the silo decides it); null when a spec may.</summary>
    public string? ReservedReason { get; init; }

    public bool SpecMaySet => ReservedReason is null;

    /// <summary>Left out of the canonical settings at its default, so that settings written before the option existed stay equal.</summary>
    public bool OmittedAtDefault { get; init; }

    /// <summary>The accepted names of a choice; empty for other kinds.</summary>
    public IReadOnlyList<string> Choices { get; private protected init; } = [];

    /// <summary>The accepted interval of a number; <see cref="NumberRange.Any"/> for other kinds.</summary>
    public NumberRange Range { get; init; } = NumberRange.Any;

    /// <summary>The canonical text of the default.</summary>
    public abstract string DefaultText { get; }

    /// <summary>The canonical text of <paramref name="text"/> (invariant numbers, lower-case names), or why it is refused.</summary>
    public abstract (string? Value, string? Error) Canonicalize(string text);

    /// <summary>The canonical text a trial's settings carry for this option, the default when they leave it out.</summary>
    public string TextOf(IReadOnlyDictionary<string, string> settings) =>
        settings.TryGetValue(Name, out var text) && Canonicalize(text) is ({ } value, null) ? value : DefaultText;

    /// <summary>The value of <paramref name="options"/> as a JSON value: numbers and switches as such, the rest as text.</summary>
    public abstract object? JsonValueOf(TrialOptions options);

    internal abstract string? ReadInto(ref TrialOptions options, string text);

    internal abstract string? TextIn(TrialOptions options);
}
