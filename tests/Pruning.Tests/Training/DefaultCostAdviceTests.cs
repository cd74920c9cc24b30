using Sweep.Options;
using Sweep.Pruning.Training;

namespace Sweep.Pruning.Tests.Training;

public class DefaultCostAdviceTests
{
    [Fact]
    public void Few_examples_at_the_default_cost_are_warned_with_the_cost_that_keeps_the_balance()
    {
        var warning = DefaultCostAdvice.Warning(costSet: false, examples: 1000);

        Assert.NotNull(warning);
        Assert.Contains("with 1,000 it can prune every unit of a layer", warning, StringComparison.Ordinal);
        Assert.Contains("about 0.003 ", warning, StringComparison.Ordinal);
        Assert.Equal(0.003, DefaultCostAdvice.Scaled(1000), 12);
        Assert.Equal(new TrialOptions().ParameterCost, DefaultCostAdvice.DefaultCost);
    }

    [Theory]
    [InlineData(true, 500)]
    [InlineData(false, 10_000)]
    [InlineData(false, 60_000)]
    public void A_chosen_cost_or_enough_examples_is_not_warned(bool costSet, int examples) =>
        Assert.Null(DefaultCostAdvice.Warning(costSet, examples));
}
