using Sweep.Pruning.Engine;
using TorchSharp;

namespace Sweep.Pruning.Tests.Engine;

[Collection(ConvolutionPathCollection.Name)]
public class ConvolutionCheckProcessTests
{
    // The native path (oneDNN off) is the one this test process can also take at any time, so both processes
    // compute the same float32 kernels on the same data: the child's errors must be this process's errors.
    [Fact]
    public void The_check_process_measures_every_model_shape_as_an_in_process_float64_comparison_does()
    {
        var outcome = ConvolutionCheckProcess.Run("native");

        Assert.True(outcome.Report is not null, outcome.Problem);
        var report = outcome.Report;
        Assert.Equal("native", report.Path);
        var expected = ConvolutionShapes.All(Environment.ProcessorCount);
        Assert.Equal(expected.Select(s => s.ToString()), report.Shapes.Select(s => s.Shape));
        Assert.Equal(report.Shapes.All(s => s.Passed), report.Passed);

        // Small shapes of each kind, recomputed here: one example, a training batch, an evaluation chunk, the estimator's grouped convolution.
        var picks = new[]
        {
            expected.First(s => s.Batch == 1 && s.InChannels > 1),
            expected.First(s => s.Batch == ConvolutionShapes.TrainingBatch && s.Gradients && s.InChannels > 1),
            expected.First(s => s.Batch == ConvolutionShapes.EvaluationChunk && s.InChannels == 1),
            expected.First(s => s.Groups > 1),
        };
        var wasEnabled = OneDnnSwitch.IsEnabled;
        var threads = torch.get_num_threads();
        OneDnnSwitch.SetEnabled(false);
        try
        {
            torch.set_num_threads(1);
            foreach (var shape in picks)
            {
                var here = ConvolutionShapeCheck.Run(shape);
                var there = report.Shapes.Single(s => s.Shape == shape.ToString());
                Assert.Equal(here.Passed, there.Passed);
                AssertClose(here.ForwardError, there.Forward, shape);
                AssertClose(here.InputGradientError, there.InputGradient, shape);
                AssertClose(here.WeightGradientError, there.WeightGradient, shape);
            }
        }
        finally
        {
            torch.set_num_threads(threads);
            OneDnnSwitch.SetEnabled(wasEnabled);
        }
    }

    [Fact]
    public void Sweep_Pruning_run_as_a_program_without_the_check_argument_refuses()
    {
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(typeof(ConvolutionCheckProcess).Assembly.Location);
        start.ArgumentList.Add("--train");
        using var process = System.Diagnostics.Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("--check-convolutions", error, StringComparison.Ordinal);
    }

    private static void AssertClose(double here, double there, ConvolutionShape shape) =>
        Assert.True(Math.Abs(here - there) <= 1e-6 * Math.Max(Math.Abs(here), Math.Abs(there)) + 1e-15,
            $"{shape}: {here:E6} in process, {there:E6} in the check process");
}
