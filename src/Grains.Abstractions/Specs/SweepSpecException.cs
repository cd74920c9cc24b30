namespace Sweep.Grains.Abstractions.Specs;

/// <summary>A sweep spec was rejected; <see cref="Errors"/> lists every problem found, each naming the key and the value.</summary>
[GenerateSerializer]
public sealed class SweepSpecException : Exception
{
    public SweepSpecException() : this(Array.Empty<string>()) { }

    public SweepSpecException(string message) : base(message) => Errors = [message];

    public SweepSpecException(string message, Exception innerException) : base(message, innerException) => Errors = [message];

    public SweepSpecException(IReadOnlyList<string> errors)
        : base(errors.Count == 0 ? "invalid sweep spec" : "invalid sweep spec:" + string.Concat(errors.Select(e => Environment.NewLine + "  - " + e)))
        => Errors = errors.ToArray();

    [Id(0)]
    public IReadOnlyList<string> Errors { get; private set; }
}
