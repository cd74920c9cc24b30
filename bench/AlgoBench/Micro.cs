using System.Diagnostics;
using static TorchSharp.torch;

/// <summary>Micro-timings of the exact estimator's pieces at LeNet-300-100's full width.</summary>
internal static class Micro
{
    public static void Run()
    {
        set_num_threads(1);
        var g = new Generator(1);
        var z2 = randn(new long[] { 100, 100 }, generator: g);
        var a = randn(new long[] { 100, 300 }, generator: g);
        var w2t = randn(new long[] { 300, 100 }, generator: g);
        var w3t = randn(new long[] { 100, 10 }, generator: g);
        var xi = ones(100, 100);
        var labels = zeros(30000, dtype: int64);
        void Time(string name, Action action)
        {
            for (var i = 0; i < 3; i++) { using var s = NewDisposeScope(); action(); }
            var best = double.MaxValue;
            for (var r = 0; r < 5; r++)
            {
                var sw = Stopwatch.StartNew();
                for (var i = 0; i < 20; i++) { using var s = NewDisposeScope(); action(); }
                best = Math.Min(best, sw.Elapsed.TotalMilliseconds / 20);
            }
            Console.WriteLine($"{name,-40} {best,8:F3} ms");
        }
        Time("addcmul [100,300,100]", () => addcmul(z2.unsqueeze(1), a.unsqueeze(2), w2t.unsqueeze(0), 1));
        var f = addcmul(z2.unsqueeze(1), a.unsqueeze(2), w2t.unsqueeze(0), 1);
        Time("relu (copy)", () => { f.relu(); });
        Time("relu_", () => { f.relu_(); });
        Time("gated weights [100,100,10]", () => { _ = xi.unsqueeze(2) * w3t.unsqueeze(0); });
        var gw = xi.unsqueeze(2) * w3t.unsqueeze(0);
        Time("bmm [100,300,100]x[100,100,10]", () => bmm(f, gw));
        Time("matmul [30000,100]x[100,10]", () => f.reshape(30000, 100).matmul(w3t));
        var w3c = w3t.t().contiguous();
        var f2 = f.reshape(30000, 100);
        Time("w3 @ f^T [10,100]x[100,30000]", () => w3c.matmul(f2.t()));
        Time("linear(f2, w3)", () => nn.functional.linear(f2, w3c));
        Time("mm f2 x w3t", () => mm(f2, w3t));
        var gwt = gw.transpose(1, 2).contiguous();
        Time("bmm gwt [100,10,100] x f^T", () => bmm(gwt, f.transpose(1, 2)));
        Time("einsum bgk,bkc->bgc", () => einsum("bgk,bkc->bgc", f, gw));
        var logits = bmm(f, gw).reshape(30000, 10);
        var y1 = labels.unsqueeze(1);
        Time("logsumexp - gather", () => { _ = logits.logsumexp(1) - logits.gather(1, y1).squeeze(1); });
        Time("log_softmax", () => { _ = logits.log_softmax(1); });
        Time("exp", () => { _ = logits.exp(); });
        Time("max(1)", () => { _ = logits.max(1); });
        var lt = logits.t().contiguous();
        Time("logsumexp over dim0 of [10,30000]", () => { _ = lt.logsumexp(0); });
        Time("cross_entropy 30000x10", () => nn.functional.cross_entropy(logits, labels, reduction: nn.Reduction.None));
        Time("whole chunked x1 (all 100)", () =>
        {
            var ff = addcmul(z2.unsqueeze(1), a.unsqueeze(2), w2t.unsqueeze(0), 1).relu_();
            var l = bmm(ff, gw).reshape(30000, 10);
            nn.functional.cross_entropy(l, labels, reduction: nn.Reduction.None);
        });
        foreach (var chunk in new[] { 5, 10, 25, 50 })
        {
            Time($"whole chunked by {chunk}", () =>
            {
                for (var s = 0; s < 100; s += chunk)
                {
                    var ff = addcmul(z2.narrow(0, s, chunk).unsqueeze(1), a.narrow(0, s, chunk).unsqueeze(2), w2t.unsqueeze(0), 1).relu_();
                    var l = bmm(ff, gw.narrow(0, s, chunk)).reshape(chunk * 300, 10);
                    nn.functional.cross_entropy(l, labels.narrow(0, 0, chunk * 300), reduction: nn.Reduction.None);
                }
            });
        }
        var x = randn(new long[] { 100, 784 }, generator: g);
        var w1 = randn(new long[] { 300, 784 }, generator: g).requires_grad_();
        var w2 = randn(new long[] { 100, 300 }, generator: g).requires_grad_();
        var w3 = randn(new long[] { 10, 100 }, generator: g).requires_grad_();
        Time("dense forward+backward 784-300-100-10", () =>
        {
            var h = nn.functional.relu(nn.functional.linear(x, w1));
            h = nn.functional.relu(nn.functional.linear(h, w2));
            var loss = nn.functional.cross_entropy(nn.functional.linear(h, w3), labels.narrow(0, 0, 100));
            autograd.grad([loss], [w1, w2, w3]);
        });
    }
}
