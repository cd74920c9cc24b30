namespace Sweep.Options;

/// <summary>What a trial option's value is, as its text is read.</summary>
public enum OptionKind
{
    /// <summary>One of a fixed list of names.</summary>
    Choice,
    /// <summary>A finite real number.</summary>
    Number,
    /// <summary>An integer.</summary>
    WholeNumber,
    /// <summary>Comma-separated non-negative numbers (possibly empty).</summary>
    NumberList,
    /// <summary>'flattening' or 'fixed:PI'.</summary>
    Prior,
    /// <summary>'none' or 'step:F1,F2,...'.</summary>
    Schedule,
    /// <summary>true or false.</summary>
    Switch,
}
