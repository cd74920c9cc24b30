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
        if (Environment.GetEnvironmentVariable("ONLY_SMALL") == "1")
        {
            var sa = s.narrow(1, 0, 75).contiguous();
            var wa = w.narrow(0, 0, 25).narrow(1, 0, 75).contiguous();
            var za = z.narrow(1, 0, 25).contiguous();
            var xa = xi.narrow(1, 0, 25).contiguous();
            var oa = wo.narrow(1, 0, 25).contiguous();
            for (var i = 0; i < 3000; i++) { using var sc = NewDisposeScope(); FlipLossKernel.FlippedLoss(sa, za, wa, xa, oa, bo, y); }
            return;
        }
        Time("accessor CopyTo 30k", () => s.data<float>().CopyTo(arr.AsSpan()));
        Time("bytes cast CopyTo 30k", () => MemoryMarshal.Cast<byte, float>(s.bytes).CopyTo(arr));
        Time("tensor(float[30000])", () => tensor(arr, new long[] { 100, 300 }));
        Time("kernel 100x300x100x10", () => FlipLossKernel.FlippedLoss(s, z, w, xi, wo, bo, y));
        var s2 = s.narrow(1, 0, 75).contiguous();
        var w2 = w.narrow(0, 0, 25).narrow(1, 0, 75).contiguous();
        var z2 = z.narrow(1, 0, 25).contiguous();
        var xi2 = xi.narrow(1, 0, 25).contiguous();
        var wo2 = wo.narrow(1, 0, 25).contiguous();
        Time("kernel 100x75x25x10", () => FlipLossKernel.FlippedLoss(s2, z2, w2, xi2, wo2, bo, y));
        Time("output kernel 100x25x10", () => FlipLossKernel.FlippedLossAtOutput(xi2, z.narrow(1, 0, 10).contiguous(), wo2, y));
        Time("pad [100,75] to 80", () => nn.functional.pad(s2, [0, 5]).contiguous());
    }
}

/// <summary>What one TorchSharp operation costs on a tiny tensor (the fixed cost that dominates small networks).</summary>
internal static class OpOverhead
{
    public static void Run()
    {
        set_num_threads(1);
        var a = randn(100);
        var b = randn(100);
        for (var round = 0; round < 3; round++)
        {
            var sw = Stopwatch.StartNew();
            for (var i = 0; i < 2000; i++)
            {
                using var scope = NewDisposeScope();
                for (var k = 0; k < 50; k++)
                {
                    _ = a + b;
                }
            }
            Console.WriteLine($"a + b on [100], in a dispose scope: {sw.Elapsed.TotalMilliseconds * 1000 / 100000:F2} us per op");
            sw.Restart();
            for (var i = 0; i < 100000; i++)
            {
                a.add_(b);
            }
            Console.WriteLine($"a.add_(b) in place: {sw.Elapsed.TotalMilliseconds * 1000 / 100000:F2} us per op");
        }
    }
}
