using System.Diagnostics;
using System.Runtime.InteropServices;
using Sweep.Pruning.Gates;
using static TorchSharp.torch;

/// <summary>Micro-timings of the fused flip-loss kernel and of the host copies it needs.</summary>
internal static class KernelMicro
{
    public static void Run()
    {
        set_num_threads(1);
        var g = new Generator(1);
        var s = randn(new long[] { 100, 300 }, generator: g);
        var w = randn(new long[] { 100, 300 }, generator: g);
        var z = randn(new long[] { 100, 100 }, generator: g);
        var xi = ones(100, 100);
        var wo = randn(new long[] { 10, 100 }, generator: g);
        var bo = randn(10, generator: g);
        var y = randint(10, new long[] { 100 }, generator: g);
        var arr = new float[30000];
        void Time(string name, Action action)
        {
            for (var i = 0; i < 3; i++) { using var sc = NewDisposeScope(); action(); }
            var best = double.MaxValue;
            for (var r = 0; r < 5; r++)
            {
                var sw = Stopwatch.StartNew();
                for (var i = 0; i < 20; i++) { using var sc = NewDisposeScope(); action(); }
                best = Math.Min(best, sw.Elapsed.TotalMilliseconds / 20);
            }
            Console.WriteLine($"{name,-40} {best,8:F3} ms");
        }
        Time("accessor CopyTo 30k", () => s.data<float>().CopyTo(arr.AsSpan()));
        Time("bytes cast CopyTo 30k", () => MemoryMarshal.Cast<byte, float>(s.bytes).CopyTo(arr));
        Time("tensor(float[30000])", () => tensor(arr, new long[] { 100, 300 }));
        Time("kernel 100x300x100x10", () => FlipLossKernel.FlippedLoss(s, z, w, xi, wo, bo, y));
    }
}
