using System.Diagnostics;
using Sweep.Pruning.Gates;
using Sweep.Pruning.Models;
using Sweep.Pruning.Optimization;
using TorchSharp;
using static TorchSharp.torch;

namespace Sweep.Pruning.Training;

/// <summary>
/// One trial in progress: the network, the optimizer state and the bookkeeping, stepped epoch by
/// epoch. Randomness is a pure function of (seed, purpose, step or epoch): the generator is re-seeded
/// for every step and every epoch's shuffle, so a checkpoint only needs the step and epoch to resume
/// the random streams exactly.
/// </summary>
internal sealed class TrainingSession : IDisposable
{
    private const ulong InitStream = 0x1A17;
    private const ulong ShuffleStream = 0x5A0F;
    private const ulong StepStream = 0x57E9;

    private readonly TrainingOptions _options;
    private readonly TrainingData _data;
    private readonly TrainingHooks _hooks;
    private readonly CancellationToken _cancellationToken;
    private readonly Generator _generator = new(0);
    private readonly GateObjective _objective;
    private readonly Schedule _learningRateSchedule;
    private readonly Schedule _thetaSchedule;
    private readonly int _examples;
    private readonly int _batchSize;
    private readonly int _stepsPerEpoch;
    private readonly long _totalSteps;
    private readonly int[] _initialWidths;
    private readonly long _initialParameters;
    private readonly long _initialFlops;
    private readonly Tensor _lossSum = zeros(1, dtype: float64).DetachFromDisposeScope();
    private readonly List<EpochProgress> _epochs = [];
    private readonly List<int[]> _epochWidths = [];
    private readonly List<int[]> _epochDeterministicWidths = [];
    private readonly List<FlopsChange> _flopsTimeline = [];
    private readonly Stopwatch _clock = new();

    private WeightOptimizer _optimizer;
    private int _epoch;
    private long _step;
    private long _lossCount;
    private double _trainFlops;
    private double _wallOffset;
    private long _forwardFlops;

    public TrainingSession(TrainingOptions options, TrainingData data, TrainingHooks? hooks, CancellationToken cancellationToken)
    {
        _options = options;
        _data = data;
        _hooks = hooks ?? new TrainingHooks();
        _cancellationToken = cancellationToken;
        if (options.Validation >= data.TrainCount)
        {
            throw new TrainingFailedException("invalid-options",
                $"validation = {options.Validation} holds out every training image: the training file has {data.TrainCount}.");
        }
        // The validation split is the tail of the training file, so train-limit shortens training without moving it.
        var trainable = data.TrainCount - options.Validation;
        _examples = Math.Min(options.TrainLimit ?? trainable, trainable);
        if (_examples < 1)
        {
            throw new TrainingFailedException("bad-data", "The training set is empty.");
        }
        _batchSize = Math.Min(options.BatchSize, _examples);
        _stepsPerEpoch = (_examples + _batchSize - 1) / _batchSize;
        _totalSteps = (long)_stepsPerEpoch * options.Epochs;
        _learningRateSchedule = Schedule.Parse(options.LearningRateSchedule);
        _thetaSchedule = Schedule.Parse(options.ThetaLearningRateSchedule);

        var specs = Architectures.Layers(options.Architecture, options.Width, data.Classes);
        if (specs[0].Kind == LayerKind.Convolution)
        {
            if (data.Height != data.Width)
            {
                throw new TrainingFailedException("bad-data", $"{options.Architecture} needs square images; the data are {data.Height}x{data.Width}.");
            }
            Engine.ConvolutionSelfCheck.EnsurePassed();
        }
        _generator.manual_seed(Seed(InitStream, 0));
        if (options.InputGates && specs[0].Kind != LayerKind.FullyConnected)
        {
            throw new ArgumentException($"Invalid training option input-gates = 'true': {options.Architecture} starts with a convolution.", nameof(options));
        }
        // Convolutions see 1 x H x W images; fully connected networks see the H*W features as one vector.
        Network = specs[0].Kind == LayerKind.Convolution
            ? GatedNetwork.Create(specs, 1, data.Height, options.Init, _generator, options.InitialTheta)
            : GatedNetwork.Create(specs, data.Features, 1, options.Init, _generator, options.InitialTheta, options.InputGates);
        _optimizer = new WeightOptimizer(options.Optimizer, Network.Parameters);
        _objective = new GateObjective(options, _examples, Network.GatedIndices.Count());
        _initialWidths = Network.PhysicalWidths();
        (_initialParameters, _initialFlops) = Network.Count(_initialWidths);
        _forwardFlops = _initialFlops;
    }

    public GatedNetwork Network { get; }

    internal WeightOptimizer Optimizer => _optimizer;

    /// <summary>Advances the step counter as the training loop does after each step (tests drive steps one by one).</summary>
    internal void AdvanceStep() => _step++;

    private double FlopsPerStep => 3.0 * _forwardFlops * _batchSize;

    public TrainingResult Run(TrainingCheckpoint? resumeFrom)
    {
        if (resumeFrom is not null)
        {
            Restore(resumeFrom);
        }
        else
        {
            _flopsTimeline.Add(new FlopsChange(0, FlopsPerStep));
        }
        _clock.Start();
        var (trainImages, trainLabels, _, _) = _data.Tensors;
        for (var epoch = _epoch + 1; epoch <= _options.Epochs; epoch++)
        {
            using (var epochScope = NewDisposeScope())
            {
                _generator.manual_seed(Seed(ShuffleStream, (ulong)epoch));
                var order = randperm(_examples, generator: _generator);
                _lossSum.zero_();
                _lossCount = 0;
                for (var b = 0; b < _stepsPerEpoch; b++)
                {
                    _cancellationToken.ThrowIfCancellationRequested();
                    var start = b * _batchSize;
                    var length = Math.Min(_batchSize, _examples - start);
                    using (var stepScope = NewDisposeScope())
                    {
                        var index = order.narrow(0, start, length);
                        TrainStep(trainImages.index_select(0, index), trainLabels.index_select(0, index));
                    }
                    _step++;
                    if (_step % _options.CompactEvery == 0 && b < _stepsPerEpoch - 1)
                    {
                        CheckDivergence();
                        Compact();
                    }
                    if (_hooks.OnSteps is { } onSteps && _step % Math.Max(1, _hooks.StepInterval) == 0)
                    {
                        onSteps(Progress(epoch - 1 + (double)(b + 1) / _stepsPerEpoch, double.NaN));
                    }
                }
            }
            CheckDivergence();
            Compact();
            _epoch = epoch;
            var progress = Progress(epoch, Evaluate(deterministic: true)) with { ValidationError = EvaluateValidation() };
            _epochs.Add(progress);
            _epochWidths.Add(Network.AliveWidths());
            _epochDeterministicWidths.Add(Network.DeterministicWidths());
            _hooks.OnEpoch?.Invoke(progress);
            if (_hooks.OnCheckpoint is { } onCheckpoint)
            {
                // Trainer.Run is synchronous by contract (a dedicated thread), so the host's async write is awaited here.
                onCheckpoint(CreateCheckpoint(), _cancellationToken).GetAwaiter().GetResult();
            }
        }
        _clock.Stop();
        return Result();
    }

    internal void TrainStep(Tensor images, Tensor labels)
    {
        var batch = labels.shape[0];
        _generator.manual_seed(Seed(StepStream, (ulong)_step));
        var input = Network.ShapeInput(images);
        var estimator = _options.Estimator;
        var gates = estimator == "reinforce"
            ? Network.SampleGates(batch, _generator, ReinforceEstimator.SamplingProbability)
            : Network.SampleGates(batch, _generator);
        var gated = Network.GatedIndices.ToArray();
        if (estimator == "multilinear")
        {
            foreach (var i in gated)
            {
                gates[i]!.requires_grad_(true);
            }
        }
        var logits = Network.Forward(input, gates, out var record);
        var perExample = Losses.CrossEntropy(logits, labels);
        var loss = perExample.mean();
        var parameters = Network.Parameters;
        var inputs = estimator == "multilinear" ? parameters.Concat(gated.Select(i => gates[i]!)).ToList() : parameters.ToList();
        var gradients = autograd.grad([loss], inputs);
        var detachedLoss = perExample.detach();

        Tensor?[] dataGradients;
        Tensor?[] masks = [];
        switch (estimator)
        {
            case "exact":
                dataGradients = ExactEstimator.Estimate(Network, record, gates, labels, detachedLoss, Losses.CrossEntropy, _options.ExactMaxGroups, _generator, out masks);
                break;
            case "multilinear":
                var gateGradients = new Tensor?[Network.Layers.Count];
                for (var k = 0; k < gated.Length; k++)
                {
                    gateGradients[gated[k]] = gradients[parameters.Count + k];
                }
                dataGradients = MultilinearEstimator.Estimate(gateGradients);
                break;
            default:
                dataGradients = ReinforceEstimator.Estimate(Network, input, labels, detachedLoss, gates, Losses.CrossEntropy, _generator);
                break;
        }

        using (no_grad())
        {
            // The slab's weight decay, theta_g w_g / (N sigma1^2), for kept units: one factor per unit or filter,
            // taken before the theta step and applied by the optimizer in its pass over the weights.
            var decay = 1.0 / (_examples * _options.Sigma1 * _options.Sigma1);
            var rowDecay = new Tensor?[parameters.Count];
            foreach (var i in gated.Where(i => Network.Layers[i].HasParameters))
            {
                var p = Network.ParameterIndex(i);
                rowDecay[p] = rowDecay[p + 1] = Network.Layers[i].Theta! * decay;
            }
            var thetaRate = _options.ThetaLearningRate * _thetaSchedule.Factor(_step, _totalSteps);
            _objective.Step(Network, dataGradients, masks, thetaRate);
            var rate = _options.LearningRate * _learningRateSchedule.Factor(_step, _totalSteps);
            _optimizer.Step(parameters, gradients.Take(parameters.Count).ToList(), rate, rowDecay);
            _lossSum.add_(detachedLoss.sum().to_type(float64));
        }
        _lossCount += batch;
        _trainFlops += 3.0 * _forwardFlops * batch;
    }

    private void CheckDivergence()
    {
        var sum = _lossSum.item<double>();
        if (!double.IsFinite(sum))
        {
            throw new TrainingFailedException("diverged", $"The training loss became {sum} by step {_step} (epoch {_epoch + 1}).");
        }
    }

    internal void Compact()
    {
        using var scope = NewDisposeScope();
        var operations = Network.Compact();
        foreach (var op in operations)
        {
            _optimizer.Slice(op.ParameterIndex, op.Dimension, op.Index);
        }
        if (operations.Count > 0)
        {
            _forwardFlops = Network.Count(Network.PhysicalWidths()).Flops;
            _flopsTimeline.Add(new FlopsChange(_step, FlopsPerStep));
        }
    }

    /// <summary>Test error of the deterministic network (theta >= 0.5) or of the mean network (outputs scaled by theta).</summary>
    internal double Evaluate(bool deterministic)
    {
        var (_, _, testImages, testLabels) = _data.Tensors;
        return ErrorOn(testImages, testLabels, 0, _data.TestCount, deterministic);
    }

    /// <summary>Error of the deterministic network on the held-out tail of the training file; NaN without a validation split.</summary>
    internal double EvaluateValidation()
    {
        var (trainImages, trainLabels, _, _) = _data.Tensors;
        return ErrorOn(trainImages, trainLabels, _data.TrainCount - _options.Validation, _options.Validation, deterministic: true);
    }

    private double ErrorOn(Tensor images, Tensor labels, int first, int count, bool deterministic)
    {
        if (count == 0)
        {
            return double.NaN;
        }
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var gates = deterministic ? Network.DeterministicGates() : Network.MeanGates();
        var wrong = zeros(1, dtype: int64);
        const int Chunk = 1000;
        for (var start = 0; start < count; start += Chunk)
        {
            var length = Math.Min(Chunk, count - start);
            var logits = Network.Forward(Network.ShapeInput(images.narrow(0, first + start, length)), gates);
            wrong.add_(logits.argmax(1).ne(labels.narrow(0, first + start, length)).sum());
        }
        return wrong.item<long>() / (double)count;
    }

    private EpochProgress Progress(double epoch, double testError)
    {
        var (undecided, _) = Network.Undecided(_options.UndecidedTolerance);
        var meanLoss = _lossCount > 0 ? _lossSum.item<double>() / _lossCount : double.NaN;
        var widths = Network.AliveWidths();
        var (parameters, flops) = Network.Count(widths);
        return new EpochProgress((int)Math.Floor(epoch), _step, meanLoss, testError, widths, undecided, FlopsPerStep, Seconds,
            parameters / (double)_initialParameters, flops / (double)_initialFlops);
    }

    private double Seconds => _wallOffset + _clock.Elapsed.TotalSeconds;

    private TrainingResult Result()
    {
        var finalWidths = Network.DeterministicWidths();
        // Rounding undecided gates at 0.5 can empty a layer that is still alive: the deterministic network
        // then has no path from input to output, which is a collapse, not a result.
        for (var l = 0; l < finalWidths.Length; l++)
        {
            if (finalWidths[l] == 0)
            {
                throw new TrainingFailedException("collapsed",
                    $"Layer {Network.Layers[Network.GatedIndices.ElementAt(l)].Name} has no gate at theta >= 0.5 at the end: the deterministic network is empty there.");
            }
        }
        var (parameters, flops) = Network.Count(finalWidths);
        var (strict, tolerant) = Network.Undecided(_options.UndecidedTolerance);
        var denseFlops = 3.0 * _initialFlops * (double)_examples * _options.Epochs;
        var reached = new int[finalWidths.Length];
        for (var l = 0; l < finalWidths.Length; l++)
        {
            var first = _epochDeterministicWidths.Count;
            for (var e = _epochDeterministicWidths.Count - 1; e >= 0 && _epochDeterministicWidths[e][l] == finalWidths[l]; e--)
            {
                first = e;
            }
            reached[l] = first + 1;   // 1-based epoch
        }
        return new TrainingResult
        {
            Options = _options,
            LayerNames = Network.GatedIndices.Select(i => Network.Layers[i].Name).ToArray(),
            InitialWidths = _initialWidths,
            FinalWidths = finalWidths,
            Parameters = parameters,
            ParametersFraction = parameters / (double)_initialParameters,
            Flops = flops,
            FlopsFraction = flops / (double)_initialFlops,
            // The last epoch's figure is the deterministic network's, and nothing changed since.
            TestError = _epochs.Count > 0 && _epochs[^1].Epoch == _options.Epochs ? _epochs[^1].TestError : Evaluate(deterministic: true),
            TestErrorMeanNet = Evaluate(deterministic: false),
            ValidationError = _epochs.Count > 0 && _epochs[^1].Epoch == _options.Epochs ? _epochs[^1].ValidationError : EvaluateValidation(),
            TrainExamples = _examples,
            Undecided = strict,
            UndecidedTolerant = tolerant,
            UndecidedTolerance = _options.UndecidedTolerance,
            TrainFlops = _trainFlops,
            TrainFlopsFraction = _trainFlops / denseFlops,
            WallSeconds = Seconds,
            EpochWidths = _epochWidths.Select(w => (IReadOnlyList<int>)w).ToArray(),
            EpochFinalWidthReached = reached,
            Epochs = _epochs.ToArray(),
            EpochDeterministicWidths = _epochDeterministicWidths.Select(w => (IReadOnlyList<int>)w).ToArray(),
            FlopsTimeline = _flopsTimeline.ToArray(),
            Steps = _step,
        };
    }

    private TrainingCheckpoint CreateCheckpoint()
    {
        var header = new CheckpointHeader
        {
            Settings = new Dictionary<string, string>(_options.ToSettings()),
            Epoch = _epoch,
            Step = _step,
            OptimizerSteps = _optimizer.StepCount,
            TrainFlops = _trainFlops,
            WallSeconds = Seconds,
            Epochs = [.. _epochs],
            EpochWidths = [.. _epochWidths],
            EpochDeterministicWidths = [.. _epochDeterministicWidths],
            FlopsTimeline = [.. _flopsTimeline],
        };
        var tensors = new List<(string, Tensor)>();
        for (var i = 0; i < Network.Layers.Count; i++)
        {
            var layer = Network.Layers[i];
            if (layer.HasParameters)
            {
                tensors.Add(($"weight{i}", layer.Weight));
                tensors.Add(($"bias{i}", layer.Bias));
            }
            else
            {
                // Feature indices are small integers: exact in float32.
                tensors.Add(($"features{i}", layer.Features!.to_type(float32)));
            }
            if (layer.Gated)
            {
                tensors.Add(($"theta{i}", layer.Theta!));
                tensors.Add(($"alive{i}", layer.Alive!));
            }
        }
        for (var p = 0; p < _optimizer.First.Count; p++)
        {
            tensors.Add(($"first{p}", _optimizer.First[p]));
            if (_optimizer.Second.Count > 0)
            {
                tensors.Add(($"second{p}", _optimizer.Second[p]));
            }
        }
        return new TrainingCheckpoint(_epoch, _step, CheckpointCodec.Encode(header, tensors));
    }

    private void Restore(TrainingCheckpoint checkpoint)
    {
        var (header, tensors) = CheckpointCodec.Decode(checkpoint.Payload);
        var saved = header.Settings;
        foreach (var (key, value) in _options.ToSettings())
        {
            // Only how many threads run the trial may differ; every other option shapes the result.
            if (key != "threads" && (!saved.TryGetValue(key, out var old) || old != value))
            {
                throw new ArgumentException(
                    $"The checkpoint was written with {key} = '{(saved.TryGetValue(key, out var o) ? o : "(unset)")}', not '{value}'; resume with the trial's original options.",
                    nameof(checkpoint));
            }
        }
        Tensor Take(string name) => tensors.TryGetValue(name, out var t)
            ? t
            : throw new TrainingFailedException("bad-checkpoint", $"The checkpoint lacks tensor {name}.");
        for (var i = 0; i < Network.Layers.Count; i++)
        {
            var layer = Network.Layers[i];
            if (layer.HasParameters)
            {
                layer.Weight.Dispose();
                layer.Bias.Dispose();
                layer.Weight = Take($"weight{i}").requires_grad_(true);
                layer.Bias = Take($"bias{i}").requires_grad_(true);
            }
            else
            {
                layer.Features!.Dispose();
                layer.Features = Take($"features{i}").to_type(int64).DetachFromDisposeScope();
            }
            if (layer.Gated)
            {
                layer.Theta!.Dispose();
                layer.Alive!.Dispose();
                layer.Theta = Take($"theta{i}");
                layer.Alive = Take($"alive{i}");
            }
        }
        var optimizer = new WeightOptimizer(_options.Optimizer, Network.Parameters) { StepCount = header.OptimizerSteps };
        for (var p = 0; p < optimizer.First.Count; p++)
        {
            optimizer.First[p].Dispose();
            optimizer.First[p] = Take($"first{p}");
            if (optimizer.Second.Count > 0)
            {
                optimizer.Second[p].Dispose();
                optimizer.Second[p] = Take($"second{p}");
            }
        }
        _optimizer.Dispose();
        _optimizer = optimizer;
        _epoch = header.Epoch;
        _step = header.Step;
        _trainFlops = header.TrainFlops;
        _wallOffset = header.WallSeconds;
        _epochs.AddRange(header.Epochs);
        _epochWidths.AddRange(header.EpochWidths);
        _epochDeterministicWidths.AddRange(header.EpochDeterministicWidths);
        _flopsTimeline.AddRange(header.FlopsTimeline);
        _forwardFlops = Network.Count(Network.PhysicalWidths()).Flops;
    }

    private long Seed(ulong stream, ulong counter)
    {
        // SplitMix64 of (seed, stream, counter): independent, reproducible streams.
        var z = unchecked(((ulong)(uint)_options.Seed * 0x9E3779B97F4A7C15UL) ^ (stream << 48) ^ counter);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return (long)(z & 0x7FFFFFFFFFFFFFFFUL);
    }

    public void Dispose()
    {
        Network.Dispose();
        _optimizer.Dispose();
        _lossSum.Dispose();
        _generator.Dispose();
    }
}
