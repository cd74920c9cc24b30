namespace Sweep.Pruning.Training;

/// <summary>
/// Every option of one training trial. The same names are used by `sweep train` flags and by sweep
/// specs (as factors of a grid), through <see cref="FromSettings"/> / <see cref="ToSettings"/>.
/// Contract for the algorithm implementation: fields may be added, names must stay stable.
/// </summary>
public sealed record TrainingOptions
{
    public string Architecture { get; init; } = "lenet300-100";   // "lenet300-100" | "lenet5-caffe"
    public double Width { get; init; } = 1.0;                      // width multiplier k > 0
    public string Init { get; init; } = "kaiming-uniform";
    public int Seed { get; init; }
    public int Epochs { get; init; } = 10;
    public int BatchSize { get; init; } = 100;
    public double LearningRate { get; init; } = 1e-3;
    public double ThetaLearningRate { get; init; } = 2.0;
    public double ParameterCost { get; init; } = 0.03;            // c, per parameter
    public double FlopCost { get; init; }                          // c_f, per thousand multiply-adds
    public string Estimator { get; init; } = "exact";
    public string Prior { get; init; } = "flattening";             // "flattening" | "fixed:PI"
    public int? TrainLimit { get; init; }                           // first N training examples only
    public int Threads { get; init; } = 1;
}
