namespace Sweep.Options;

/// <summary>A <see cref="TrialOption"/> whose value is a <typeparamref name="T"/>, with the property of <see cref="TrialOptions"/> that holds it.</summary>
public sealed class TypedOption<T> : TrialOption
{
    private readonly Func<string, (T Value, string? Error)> _parse;
    private readonly Func<T, string> _format;
    private readonly Func<TrialOptions, T> _get;
    private readonly Func<TrialOptions, T, TrialOptions> _set;

    internal TypedOption(
        string name, OptionKind kind, string help, T defaultValue,
        Func<string, (T Value, string? Error)> parse, Func<T, string> format,
        Func<TrialOptions, T> get, Func<TrialOptions, T, TrialOptions> set,
        IReadOnlyList<string>? choices = null)
        : base(name, kind, help)
    {
        Default = defaultValue;
        _parse = parse;
        _format = format;
        _get = get;
        _set = set;
        Choices = choices ?? [];
    }

    public T Default { get; }

    public override string DefaultText => Format(Default);

    /// <summary>The value of <paramref name="text"/>, or why it is refused (the message names neither option nor value's place).</summary>
    public (T Value, string? Error) Parse(string text) => _parse(text ?? "");

    public string Format(T value) => _format(value);

    /// <summary>The value a trial's settings give, the default when they leave it out (or carry a value the option cannot read).</summary>
    public T Read(IReadOnlyDictionary<string, string> settings) =>
        settings.TryGetValue(Name, out var text) && Parse(text) is (var value, null) ? value : Default;

    public T Get(TrialOptions options) => _get(options);

    public override (string? Value, string? Error) Canonicalize(string text) =>
        Parse(text) is (var value, null) ? (Format(value), null) : (null, Parse(text).Error);

    public override object? JsonValueOf(TrialOptions options) => _get(options) switch
    {
        null => null,
        int or double or bool => _get(options),
        _ => Format(_get(options)),
    };

    internal override string? ReadInto(ref TrialOptions options, string text)
    {
        var (value, error) = Parse(text);
        if (error is null)
        {
            options = _set(options, value);
        }
        return error;
    }

    internal override string? TextIn(TrialOptions options)
    {
        var value = _get(options);
        return OmittedAtDefault && EqualityComparer<T>.Default.Equals(value, Default) ? null : Format(value);
    }
}
