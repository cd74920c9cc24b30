using System.Diagnostics;
using Sweep.Options;
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

    private readonly TrialOptions _options;
    private readonly TrainingData _data;
    private readonly TrainingHooks _hooks;
    private readonly CancellationToken _cancellationToken;
    private readonly Generator _generator = new(0);
    private readonly GateObjective _objective;
    private readonly IGateEstimator _estimator;
    private readonly FusedMlpStep? _fused;
    private readonly ErrorEvaluator _evaluator;
    private readonly BatchGather _batch;
    private readonly LearningRateSchedule _learningRateSchedule;
    private readonly LearningRateSchedule _thetaSchedule;
    private readonly int _examples;
    private readonly int _batchSize;
    private readonly int _stepsPerEpoch;
    private readonly long _totalSteps;
    private readonly StartingNetwork _start;
    private readonly Tensor _lossSum = zeros(1, dtype: float64).DetachFromDisposeScope();
    private readonly TrainingHistory _history = new();
    private readonly Stopwatch _clock = new();

    private WeightOptimizer _optimizer;
    private int _epoch;
    private long _step;
    private long _lossCount;
    private double _trainFlops;
    private double _wallOffset;
    private long _forwardFlops;

    /// <param name="fusedStep">Whether a network and estimator that <see cref="FusedMlpStep"/> computes train with it (false: the autograd path, for comparisons).</param>
    public TrainingSession(TrialOptions options, TrainingData data, TrainingHooks? hooks, CancellationToken cancellationToken, bool fusedStep = true)
    {
        options.Validate();   // options built in code get the checks a spec's options get, combinations included
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
        _learningRateSchedule = options.LearningRateSchedule;
        _thetaSchedule = options.ThetaLearningRateSchedule;

        var specs = Architectures.Layers(options.Architecture.Name(), options.Width, data.Classes);
        if (specs[0].Kind == LayerKind.Convolution)
        {
            if (data.Height != data.Width)
            {
                throw new TrainingFailedException("bad-data", $"{options.Architecture.Name()} needs square images; the data are {data.Height}x{data.Width}.");
            }
            Engine.ConvolutionSelfCheck.EnsurePassed();
        }
        _generator.manual_seed(Seed(InitStream, 0));
        // Convolutions see 1 x H x W images; fully connected networks see the H*W features as one vector.
        Network = specs[0].Kind == LayerKind.Convolution
            ? GatedNetwork.Create(specs, 1, data.Height, options.Init.Name(), _generator, options.InitialTheta)
            : GatedNetwork.Create(specs, data.Features, 1, options.Init.Name(), _generator, options.InitialTheta, options.InputGates);
        _optimizer = new WeightOptimizer(options.Optimizer, Network.Parameters);
        _objective = new GateObjective(GateObjectiveParameters.From(options), _examples, Network.GatedIndices.Count());
        _estimator = GateEstimators.Create(options.Estimator, options.ExactMaxGroups, options.ExactExamples, options.ExactExamplesEpochs);
        _fused = fusedStep && FusedMlpStep.Applies(Network, _estimator) ? new FusedMlpStep(_estimator as ExactEstimator) : null;
        _evaluator = new ErrorEvaluator(data, options.Validation);
        _batch = new BatchGather(_batchSize, data.Features);
        var initialWidths = Network.PhysicalWidths();
        var (initialParameters, initialFlops) = Network.Count(initialWidths);
        _start = new StartingNetwork(initialWidths, initialParameters, initialFlops);
        _forwardFlops = initialFlops;
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
            _history.FlopsTimeline.Add(new FlopsChange(0, FlopsPerStep));
        }
        _clock.Start();
        var (trainImages, trainLabels, _, _) = _data.Tensors;
        for (var epoch = _epoch + 1; epoch <= _options.Epochs; epoch++)
        {
            using (var epochScope = NewDisposeScope())
            {
                _generator.manual_seed(Seed(ShuffleStream, (ulong)epoch));
                _estimator.BeginEpoch(epoch);
                var order = randperm(_examples, generator: _generator);
                var shuffled = Engine.TensorMemory.Elements<long>(order, ScalarType.Int64);
                _lossSum.zero_();
                _lossCount = 0;
                for (var b = 0; b < _stepsPerEpoch; b++)
                {
                    _cancellationToken.ThrowIfCancellationRequested();
                    var start = b * _batchSize;
                    var length = Math.Min(_batchSize, _examples - start);
                    using (var stepScope = NewDisposeScope())
                    {
                        var (images, labels) = _batch.Fill(trainImages, trainLabels, shuffled, start, length);
                        TrainStep(images, labels);
                    }
                    _step++;
                    if (_step % _options.CompactEvery == 0 && b < _stepsPerEpoch - 1)
                    {
                        DivergenceCheck.Check(Network, _lossSum, _lossCount, _data.Classes, _step, _epoch);
                        Compact();
                    }
                    if (_hooks.OnSteps is { } onSteps && _step % Math.Max(1, _hooks.StepInterval) == 0)
                    {
                        onSteps(Progress(epoch - 1 + (double)(b + 1) / _stepsPerEpoch, double.NaN));
                    }
                }
            }
            DivergenceCheck.Check(Network, _lossSum, _lossCount, _data.Classes, _step, _epoch);
            Compact();
            _epoch = epoch;
            var progress = Progress(epoch, _evaluator.TestError(Network, deterministic: true)) with { ValidationError = _evaluator.ValidationError(Network) };
            _history.Epochs.Add(progress);
            _history.EpochWidths.Add(Network.AliveWidths());
            _history.EpochDeterministicWidths.Add(Network.DeterministicWidths());
            _hooks.OnEpoch?.Invoke(progress);
            if (_hooks.OnCheckpoint is { } onCheckpoint)
            {
                // Trainer.Run is synchronous by contract (a dedicated thread), so the host's async write is awaited here.
                var checkpoint = TrainingCheckpoints.Create(_options, Network, _optimizer, _history, Position);
                onCheckpoint(checkpoint, _cancellationToken).GetAwaiter().GetResult();
            }
        }
        _clock.Stop();
        return TrainingResultBuilder.Build(_options, Network, _start, _examples, _history, Position, _evaluator);
    }

    internal void TrainStep(Tensor images, Tensor labels)
    {
        var batch = labels.shape[0];
        _generator.manual_seed(Seed(StepStream, (ulong)_step));
        var input = Network.ShapeInput(images);
        var step = _fused?.Compute(Network, input, labels, _generator) ?? AutogradStep(input, labels);
        var parameters = Network.Parameters;
        using (no_grad())
        {
            // The slab's weight decay, theta_g w_g / (N sigma1^2), for kept units: one factor per unit or filter,
            // taken before the theta step and applied by the optimizer in its pass over the weights.
            var decay = 1.0 / (_examples * _options.Sigma1 * _options.Sigma1);
            var rowDecay = new Tensor?[parameters.Count];
            foreach (var i in Network.GatedIndices.Where(i => Network.Layers[i].HasParameters))
            {
                var p = Network.ParameterIndex(i);
                rowDecay[p] = rowDecay[p + 1] = Network.Layers[i].Theta! * decay;
            }
            var thetaRate = _options.ThetaLearningRate * _thetaSchedule.Factor(_step, _totalSteps);
            _objective.Step(Network, step.Estimate.DataGradients, step.Estimate.UpdateMasks, thetaRate);
            var rate = _options.LearningRate * _learningRateSchedule.Factor(_step, _totalSteps);
            _optimizer.Step(parameters, step.Gradients, rate, rowDecay);
            _lossSum.add_(step.LossSum);
        }
        _lossCount += batch;
        _trainFlops += 3.0 * _forwardFlops * batch;
    }

    // The general step: the forward pass with its record, autograd for the weights (and the gates, for an estimator that differentiates them).
    private StepGradients AutogradStep(Tensor input, Tensor labels)
    {
        var gates = _estimator.SampleGates(Network, labels.shape[0], _generator);
        var gated = Network.GatedIndices.ToArray();
        var logits = Network.Forward(input, gates, out var record);
        var perExample = Losses.CrossEntropy(logits, labels);
        var loss = perExample.mean();
        var parameters = Network.Parameters;
        var differentiatesGates = _estimator.DifferentiatesGates;
        var inputs = differentiatesGates ? parameters.Concat(gated.Select(i => gates[i]!)).ToList() : parameters.ToList();
        var gradients = autograd.grad([loss], inputs);
        var detachedLoss = perExample.detach();
        var gateGradients = new Tensor?[Network.Layers.Count];
        if (differentiatesGates)
        {
            for (var k = 0; k < gated.Length; k++)
            {
                gateGradients[gated[k]] = gradients[parameters.Count + k];
            }
        }
        var estimate = _estimator.Estimate(new GateBatch(Network, input, labels, gates, record, detachedLoss, gateGradients, _generator));
        return new StepGradients(gradients.Take(parameters.Count).ToList(), estimate, detachedLoss.sum().to_type(float64));
    }

    internal void Compact()
    {
        using var scope = NewDisposeScope();
        IReadOnlyList<SliceOperation> operations;
        try
        {
            operations = Network.Compact();
        }
        catch (LayerCollapsedException collapse)
        {
            throw new TrainingFailedException("collapsed", collapse.Message);
        }
        foreach (var op in operations)
        {
            _optimizer.Slice(op.ParameterIndex, op.Dimension, op.Index);
        }
        if (operations.Count > 0)
        {
            _forwardFlops = Network.Count(Network.PhysicalWidths()).Flops;
            _history.FlopsTimeline.Add(new FlopsChange(_step, FlopsPerStep));
        }
    }

    private EpochProgress Progress(double epoch, double testError)
    {
        var (undecided, _) = Network.Undecided(_options.UndecidedTolerance);
        var meanLoss = _lossCount > 0 ? _lossSum.item<double>() / _lossCount : double.NaN;
        var widths = Network.AliveWidths();
        var (parameters, flops) = Network.Count(widths);
        return new EpochProgress((int)Math.Floor(epoch), _step, meanLoss, testError, widths, undecided, FlopsPerStep, Seconds,
            parameters / (double)_start.Parameters, flops / (double)_start.Flops);
    }

    private double Seconds => _wallOffset + _clock.Elapsed.TotalSeconds;

    private TrainingPosition Position => new(_epoch, _step, _trainFlops, Seconds);

    private void Restore(TrainingCheckpoint checkpoint)
    {
        var (optimizer, position) = TrainingCheckpoints.Restore(checkpoint, _options, Network, _history);
        _optimizer.Dispose();
        _optimizer = optimizer;
        (_epoch, _step, _trainFlops, _wallOffset) = (position.Epoch, position.Step, position.TrainFlops, position.WallSeconds);
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

    /// <summary>Whether training steps run as <see cref="FusedMlpStep"/>.</summary>
    internal bool UsesFusedStep => _fused is not null;

    public void Dispose()
    {
        _fused?.Dispose();
        _batch.Dispose();
        Network.Dispose();
        _optimizer.Dispose();
        _lossSum.Dispose();
        _generator.Dispose();
    }
}
