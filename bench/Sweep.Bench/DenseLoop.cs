using Sweep.Pruning.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Sweep.Bench;

/// <summary>
/// The plain TorchSharp baseline: nn modules, torch.optim.Adam, cross-entropy, batches narrowed from a
/// tensor shuffled once per epoch, no per-step host reads. What "dense training" means in every ratio.
/// </summary>
internal sealed class DenseLoop : IDisposable
{
    private readonly nn.Module<Tensor, Tensor> _model;
    private readonly optim.Optimizer _optimizer;
    private readonly bool _convolutional;
    private readonly Generator _generator = new(7);

    /// <param name="hiddenWidths">LeNet-300-100's two hidden widths (default 300, 100): the dense cost of a pruned architecture.</param>
    public DenseLoop(string architecture, int seed = 0, IReadOnlyList<int>? hiddenWidths = null)
    {
        var fc1 = hiddenWidths?[0] ?? 300;
        var fc2 = hiddenWidths?[1] ?? 100;
        manual_seed(seed);
        _convolutional = architecture == "lenet5-caffe";
        _model = _convolutional
            ? nn.Sequential(
                ("conv1", nn.Conv2d(1, 20, 5)), ("pool1", nn.MaxPool2d(2)), ("relu1", nn.ReLU()),
                ("conv2", nn.Conv2d(20, 50, 5)), ("pool2", nn.MaxPool2d(2)), ("relu2", nn.ReLU()),
                ("flatten", nn.Flatten()),
                ("fc1", nn.Linear(800, 500)), ("relu3", nn.ReLU()),
                ("fc2", nn.Linear(500, 10)))
            : nn.Sequential(
                ("fc1", nn.Linear(784, fc1)), ("relu1", nn.ReLU()),
                ("fc2", nn.Linear(fc1, fc2)), ("relu2", nn.ReLU()),
                ("fc3", nn.Linear(fc2, 10)));
        _optimizer = optim.Adam(_model.parameters(), 1e-3);
    }

    /// <summary>Forward multiply-adds per example.</summary>
    public static double ForwardMacs(string architecture) => architecture == "lenet5-caffe"
        ? 20.0 * 24 * 24 * 25 + 50.0 * 8 * 8 * 20 * 25 + 800.0 * 500 + 500.0 * 10
        : 784.0 * 300 + 300.0 * 100 + 100.0 * 10;

    /// <summary>Trains <paramref name="steps"/> steps (all of the first <paramref name="examples"/> examples when null); returns seconds.</summary>
    public double Epoch(TrainingData data, int examples, int batch = 100, int? steps = null)
    {
        var (images, labels, _, _) = data.Tensors;
        var sw = System.Diagnostics.Stopwatch.StartNew();
        using (var epochScope = NewDisposeScope())
        {
            var order = randperm(examples, generator: _generator);
            var x = images.index_select(0, order);
            var y = labels.index_select(0, order);
            if (_convolutional)
            {
                x = x.view(examples, 1, 28, 28);
            }
            var total = steps ?? (examples + batch - 1) / batch;
            for (var b = 0; b < total; b++)
            {
                using var stepScope = NewDisposeScope();
                var start = b * batch % examples;
                var length = Math.Min(batch, examples - start);
                _optimizer.zero_grad();
                var loss = nn.functional.cross_entropy(_model.call(x.narrow(0, start, length)), y.narrow(0, start, length));
                loss.backward();
                _optimizer.step();
            }
        }
        return sw.Elapsed.TotalSeconds;
    }

    public void Dispose()
    {
        _optimizer.Dispose();
        _model.Dispose();
        _generator.Dispose();
    }
}
