using static TorchSharp.torch;

namespace Sweep.Pruning.Tests.Models;

/// <summary>
/// One libtorch thread for a test class's duration (a trial's default, where the direct convolution kernels apply), the
/// process's count afterwards. Its classes belong to the convolution path collection, which runs one at a time.
/// </summary>
public sealed class OneLibtorchThread : IDisposable
{
    private readonly int _threads = get_num_threads();

    public OneLibtorchThread() => set_num_threads(1);

    public void Dispose() => set_num_threads(_threads);
}
