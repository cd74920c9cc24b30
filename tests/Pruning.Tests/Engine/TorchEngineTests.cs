using TorchSharp;
using static TorchSharp.torch;

namespace Sweep.Pruning.Tests.Engine;

public class TorchEngineTests
{
    [Fact]
    public void Matmul_backward_and_optimizer_step_compute_known_values()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new float[] { 1, 2, 3, 4 }, 2, 2);
        var w = tensor(new float[] { 0.5f, -1f, 2f, 0.25f }, 2, 2).requires_grad_();
        var y = a.matmul(w);
        Assert.Equal(new float[] { 4.5f, -0.5f, 9.5f, -2f }, y.data<float>().ToArray());

        // loss = sum(A W); dloss/dW = A^T 1 = column sums of A, repeated per column
        y.sum().backward();
        Assert.Equal(new float[] { 4, 4, 6, 6 }, w.grad!.data<float>().ToArray());

        using var p = new TorchSharp.Modules.Parameter(tensor(new float[] { 1f, 2f }));
        var opt = optim.SGD(new[] { p }, learningRate: 0.5);
        (p * p).sum().backward();
        opt.step();
        // p <- p - 0.5 * 2p = 0
        Assert.Equal(new float[] { 0f, 0f }, p.data<float>().ToArray());
    }
}
