using Sweep.Grains.Abstractions.Trials;
using Sweep.Grains.Execution;
using Sweep.Pruning.Training;
using Sweep.Tests.Shared;

namespace Sweep.Grains.Tests.Execution;

public class PruningTrialExecutorTests
{
    [Fact]
    public async Task A_trial_runs_with_the_silos_threads_per_trial_not_one_thread_per_core()
    {
        var directory = IdxFiles.Write(Path.Combine(Path.GetTempPath(), $"sweep-executor-{Guid.NewGuid():N}"), train: 60, test: 20);
        try
        {
            TorchSharp.torch.set_num_threads(2);   // libtorch's default on this 2-core machine: one per core
            var executor = new PruningTrialExecutor();
            var work = new TrialWork(new TrialKey("threads", 0), directory, new Dictionary<string, string>
            {
                ["arch"] = "lenet300-100", ["epochs"] = "1", ["width"] = "0.1", ["sigma1"] = "1", ["lr-theta"] = "0", ["threads"] = "1",
            });
            await executor.PrepareAsync(work, CancellationToken.None);
            var result = executor.Run(work, new TrainingHooks(), null, CancellationToken.None);
            Assert.Single(result.Epochs);
            Assert.Equal(1, TorchSharp.torch.get_num_threads());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task The_silo_checks_the_data_again_and_fails_the_trial_with_the_file_and_the_fault()
    {
        var directory = IdxFiles.Write(Path.Combine(Path.GetTempPath(), $"sweep-executor-bad-{Guid.NewGuid():N}"), train: 20, test: 5);
        try
        {
            var labels = Path.Combine(directory, "t10k-labels-idx1-ubyte");
            var bytes = File.ReadAllBytes(labels);
            bytes[8 + 3] = 200;
            File.WriteAllBytes(labels, bytes);
            var work = new TrialWork(new TrialKey("bad-data", 0), directory, new Dictionary<string, string> { ["arch"] = "lenet300-100", ["epochs"] = "1" });

            var error = await Assert.ThrowsAsync<TrainingFailedException>(() => new PruningTrialExecutor().PrepareAsync(work, CancellationToken.None));

            Assert.Equal("bad-data", error.Reason);
            Assert.Contains($"{labels}: label 200 at byte offset 11 (example 3)", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
