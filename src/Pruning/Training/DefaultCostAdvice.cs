using System.Globalization;
using Sweep.Options;

namespace Sweep.Pruning.Training;

/// <summary>
/// The default description cost (0.03 per parameter) is weighed against the data term summed over
/// the training examples, so the same cost presses N times harder per example on N examples: tuned
/// on 10,000 or more, it prunes whole layers of a quick run on 500 to 1,000 (a collapse, even on
/// good MNIST). The default is kept as it is (results stay comparable); a run on fewer examples that
/// leaves the cost at its default is warned, with the cost that keeps the reference balance.
/// </summary>
public static class DefaultCostAdvice
{
    /// <summary>Training examples the default cost is tuned for.</summary>
    public const int ReferenceExamples = 10_000;

    /// <summary>The default cost per parameter.</summary>
    public static double DefaultCost { get; } = TrialOptionSchema.ParameterCost.Default;

    /// <summary>The cost with the default's balance on <paramref name="examples"/> examples: 0.03 x N / 10,000.</summary>
    public static double Scaled(int examples) => DefaultCost * examples / ReferenceExamples;

    /// <summary>A warning when the cost is left at its default on fewer than <see cref="ReferenceExamples"/> examples; otherwise null.</summary>
    public static string? Warning(bool costSet, int examples) =>
        costSet || examples >= ReferenceExamples || examples < 1
            ? null
            : string.Create(CultureInfo.InvariantCulture,
                $"the default cost {DefaultCost} per parameter is tuned for {ReferenceExamples:N0} or more training examples; with {examples:N0} it can prune every unit of a layer (collapsed). Set the cost to about {Scaled(examples):G2} (0.03 x N / 10,000) for the same balance.");
}
