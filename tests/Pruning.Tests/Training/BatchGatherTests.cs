using Sweep.Pruning.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Sweep.Pruning.Tests.Training;

public class BatchGatherTests
{
    [Fact]
    public void Batches_hold_the_rows_index_select_gives_full_and_short_and_reuse_their_tensors()
    {
        using var scope = NewDisposeScope();
        var images = rand(new long[] { 50, 12 }, generator: new Generator(1));
        var labels = randint(10, new long[] { 50 }, generator: new Generator(2));
        var order = randperm(50, generator: new Generator(3));
        var shuffled = order.data<long>().ToArray();
        using var gather = new BatchGather(batchSize: 8, features: 12);

        var (first, firstLabels) = gather.Fill(images, labels, shuffled, 0, 8);
        AssertSame(images.index_select(0, order.narrow(0, 0, 8)), first);
        AssertSame(labels.index_select(0, order.narrow(0, 0, 8)), firstLabels);

        var (second, _) = gather.Fill(images, labels, shuffled, 8, 8);
        Assert.Equal(first.Handle, second.Handle);
        AssertSame(images.index_select(0, order.narrow(0, 8, 8)), second);

        var (last, lastLabels) = gather.Fill(images, labels, shuffled, 48, 2);
        Assert.Equal(new long[] { 2, 12 }, last.shape);
        AssertSame(images.index_select(0, order.narrow(0, 48, 2)), last);
        AssertSame(labels.index_select(0, order.narrow(0, 48, 2)), lastLabels);

        Assert.Throws<ArgumentOutOfRangeException>(() => gather.Fill(images, labels, shuffled, 0, 9));
    }

    private static void AssertSame(Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.shape, actual.shape);
        Assert.Equal(expected.to_type(ScalarType.Float64).data<double>().ToArray(), actual.to_type(ScalarType.Float64).data<double>().ToArray());
    }
}
