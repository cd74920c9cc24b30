namespace Sweep.Options;

/// <summary>Why one option's value was refused: the option, the value as given and what is wrong with it.</summary>
public sealed record OptionError(string Option, string Value, string Message)
{
    public override string ToString() => $"Invalid training option {Option} = '{Value}': {Message}.";
}
