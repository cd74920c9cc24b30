namespace Sweep.Pruning.Engine;

/// <summary>
/// One float32 convolution the models run: a [Batch, InChannels, Size, Size] input, a Kernel x Kernel
/// weight of OutChannels filters over InChannels / Groups channels each, no padding, stride 1.
/// </summary>
/// <param name="Gradients">Whether training takes both gradients of it (else it runs forward only: test evaluation, the exact estimator).</param>
/// <param name="ReferenceExamples">How many examples (the first and last halves) the float64 reference computes; null: all of them.
/// A forward convolution is computed per example, so a few examples check the kernel that ran the whole batch.</param>
/// <param name="Threads">libtorch's intra-op thread count while it runs (oneDNN picks its blocking per thread count).</param>
public sealed record ConvolutionShape(
    string Name, int Batch, int InChannels, int OutChannels, int Size, int Kernel = 5, int Groups = 1,
    bool Gradients = true, int? ReferenceExamples = null, int Threads = 1)
{
    public override string ToString() =>
        $"{Name} [{Batch}x{InChannels}x{Size}x{Size}] * [{OutChannels}x{InChannels / Groups}x{Kernel}x{Kernel}]" +
        $"{(Groups > 1 ? $" groups {Groups}" : "")}{(Gradients ? "" : " forward")}{(Threads > 1 ? $" {Threads} threads" : "")}";
}
