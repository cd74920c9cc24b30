using System.Diagnostics;
using System.Text.Json;
using TorchSharp;

namespace Sweep.Pruning.Engine;

/// <summary>
/// The check process: `dotnet exec ... Sweep.Pruning.dll --check-convolutions`, started by
/// <see cref="ConvolutionCheckProcess"/> with the path to check in its environment (SWEEP_CONV_ISA=default:
/// oneDNN uncapped). oneDNN fixes its ISA at a process's first convolution, so the uncapped kernels can only
/// be tried in a process of their own; the training process keeps its cap until they pass here.
/// Writes one JSON line (a <see cref="ConvolutionCheckReport"/>) on standard output.
/// </summary>
internal static class ConvolutionCheckProgram
{
    public const string Argument = "--check-convolutions";
    public const string NativeArgument = "--native";

    public static int Main(string[] args)
    {
        if (args.Length == 0 || args[0] != Argument || args.Skip(1).Any(a => a != NativeArgument))
        {
            Console.Error.WriteLine($"Sweep.Pruning is a library; run as a program it only checks convolutions: {Argument} [{NativeArgument}].");
            return 2;
        }
        var native = args.Contains(NativeArgument);
        try
        {
            var report = Check(native);
            Console.Out.WriteLine(JsonSerializer.Serialize(report, ConvolutionJson.Options));
            return report.Passed ? 0 : 1;
        }
        catch (Exception ex)
        {
            Console.Error.WriteLine($"convolution check failed to run: {ex}");
            return 3;
        }
    }

    /// <summary>Checks every shape of <see cref="ConvolutionShapes.All"/> on this process's path.</summary>
    public static ConvolutionCheckReport Check(bool native)
    {
        EngineSetup.EnsureInitialized();
        if (native)
        {
            OneDnnSwitch.SetEnabled(false);
        }
        var watch = Stopwatch.StartNew();
        var threads = Environment.ProcessorCount;
        var errors = new List<ConvolutionShapeError>();
        foreach (var shape in ConvolutionShapes.All(threads))
        {
            torch.set_num_threads(shape.Threads);
            var result = ConvolutionShapeCheck.Run(shape);
            errors.Add(new ConvolutionShapeError(shape.ToString(), result.ForwardError, result.InputGradientError, result.WeightGradientError, result.Passed));
        }
        var path = native ? "native" : Environment.GetEnvironmentVariable(EngineSetup.OneDnnIsaVariable) is { Length: > 0 } isa ? $"oneDNN at {isa}" : "oneDNN uncapped";
        return new ConvolutionCheckReport(path, errors.All(e => e.Passed), watch.Elapsed.TotalSeconds, errors);
    }
}
