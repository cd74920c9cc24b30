namespace Sweep.Options;

/// <summary>The outcome of <see cref="TrialOptions.Parse"/>: the typed options, or every error found.</summary>
public sealed record OptionsParse(TrialOptions? Options, IReadOnlyList<OptionError> Errors)
{
    public bool Succeeded => Options is not null;
}
