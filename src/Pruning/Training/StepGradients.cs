using Sweep.Pruning.Gates;
using static TorchSharp.torch;

namespace Sweep.Pruning.Training;

/// <summary>
/// What one training step's forward and backward passes give the updates: the gradient of the mean loss for
/// every parameter (in <see cref="Models.GatedNetwork.Parameters"/> order), the gate estimator's estimate and
/// the batch's summed loss (a float64 scalar).
/// </summary>
internal sealed record StepGradients(IReadOnlyList<Tensor> Gradients, GateEstimate Estimate, Tensor LossSum);
