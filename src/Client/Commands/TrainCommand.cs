using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization;
using Spectre.Console;
using Spectre.Console.Cli;
using Sweep.Options;
using Sweep.Pruning.Data;
using Sweep.Pruning.Training;

namespace Sweep.Client.Commands;

/// <summary>
/// <c>sweep train</c>: one training trial of the parsimonious learning algorithm, locally, with a
/// progress display and a summary, or exactly one JSON object on stdout with <c>--json</c>.
/// Exit codes: 0 done, 1 invalid input (options, or data missing or corrupt: "bad-data"),
/// 2 the trial failed (diverged, collapsed, cancelled). Its training flags are <see cref="TrainFlags"/>'s, one per option of the schema.
/// </summary>
public sealed class TrainCommand<TSettings> : AsyncCommand<TSettings> where TSettings : TrainSettings
{
    private const string CheckpointFile = "checkpoint.bin";

    private static readonly JsonSerializerOptions Json = new()
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,   // stdout, not HTML
        WriteIndented = false,
    };

    public override async Task<int> ExecuteAsync(CommandContext context, TSettings settings, CancellationToken cancellationToken)
    {
        var options = settings.ToOptions();
        TrainingData data;
        try
        {
            data = await TrainDataAdapter.LoadAsync(settings.Data, settings.Json ? null : new Progress<string>(m => Console.Error.WriteLine(m)), cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException or DatasetFormatException or DatasetFetchException)
        {
            return Fail(settings, "bad-data", ex.Message);
        }

        if (DefaultCostAdvice.Warning(settings.Sets(TrialOptionSchema.ParameterCost), Math.Min(options.TrainLimit ?? data.TrainCount, data.TrainCount)) is { } warning)
        {
            await Console.Error.WriteLineAsync("Warning: " + warning);
        }

        TrainingCheckpoint? resumeFrom = null;
        var checkpointPath = settings.Checkpoint is null ? null : Path.Combine(settings.Checkpoint, CheckpointFile);
        if (settings.Resume && checkpointPath is not null && File.Exists(checkpointPath))
        {
            try
            {
                resumeFrom = TrainingCheckpoint.FromPayload(await File.ReadAllBytesAsync(checkpointPath, cancellationToken));
            }
            catch (TrainingFailedException ex)
            {
                return Fail(settings, ex.Reason, $"{checkpointPath}: {ex.Message}");
            }
            if (!settings.Json)
            {
                AnsiConsole.MarkupLineInterpolated($"Resuming from {checkpointPath} (epoch {resumeFrom.Epoch}, step {resumeFrom.Step}).");
            }
        }

        if (!settings.Json)
        {
            // Convolutional models check their convolution path against float64 first; say what was decided.
            Sweep.Pruning.Engine.ConvolutionSelfCheck.Checked += status => Console.Error.WriteLine(status);
        }
        try
        {
            var result = settings.Json
                ? await RunAsync(options, data, Hooks(settings, checkpointPath, null), resumeFrom, cancellationToken)
                : await RunWithProgressAsync(options, data, settings, checkpointPath, resumeFrom, cancellationToken);
            if (settings.Json)
            {
                await Console.Out.WriteLineAsync(JsonSerializer.Serialize(ToJson(result), Json));
            }
            else
            {
                PrintSummary(result);
            }
            return ExitCodes.Ok;
        }
        catch (TrainingFailedException ex)
        {
            return Fail(settings, ex.Reason, ex.Message);
        }
        catch (ArgumentException ex) when (resumeFrom is not null)
        {
            // The checkpoint was written with other options.
            return Fail(settings, "bad-checkpoint", ex.Message.Split(" (Parameter", 2)[0]);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Fail(settings, "cancelled", settings.Checkpoint is null
                ? "Training was cancelled."
                : $"Training was cancelled; --resume continues from the last checkpoint in {settings.Checkpoint}.");
        }
    }

    private static Task<TrainingResult> RunAsync(
        TrialOptions options, TrainingData data, TrainingHooks hooks, TrainingCheckpoint? resumeFrom, CancellationToken cancellationToken) =>
        // Training is blocking and CPU-bound: its own thread, not the thread pool.
        Task.Factory.StartNew(
            () => Trainer.Run(options, data, hooks, resumeFrom, cancellationToken),
            cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private static async Task<TrainingResult> RunWithProgressAsync(
        TrialOptions options, TrainingData data, TrainSettings settings, string? checkpointPath,
        TrainingCheckpoint? resumeFrom, CancellationToken cancellationToken)
    {
        var examples = Math.Min(options.TrainLimit ?? data.TrainCount - options.Validation, data.TrainCount - options.Validation);
        AnsiConsole.MarkupLineInterpolated(
            $"[bold]{options.Architecture.Name()}[/] width {options.Width} init {options.Init.Name()} seed {options.Seed}, {options.Epochs} epochs, estimator {options.Estimator.Name()}, prior {options.Prior}, cost {options.ParameterCost}, flop-cost {options.FlopCost}; {examples} train / {options.Validation} validation / {data.TestCount} test examples");
        TrainingResult? result = null;
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async progress =>
            {
                var batch = Math.Min(options.BatchSize, examples);
                var task = progress.AddTask("starting", maxValue: (double)options.Epochs * ((examples + batch - 1) / batch));
                result = await RunAsync(options, data, Hooks(settings, checkpointPath, task), resumeFrom, cancellationToken);
                task.Value = task.MaxValue;
            });
        return result!;
    }

    private static TrainingHooks Hooks(TrainSettings settings, string? checkpointPath, ProgressTask? task) => new()
    {
        // sweep train runs one trial per process, so it may set libtorch's process-wide thread count.
        SetProcessThreadCount = true,
        StepInterval = 100,
        OnSteps = task is null ? null : p =>
        {
            task.Value = Math.Min(task.MaxValue, p.Step);
            task.Description = Describe(p, "…");
        },
        OnEpoch = task is null ? null : p =>
        {
            task.Value = Math.Min(task.MaxValue, p.Step);
            task.Description = Describe(p, p.TestError.ToString("P2", CultureInfo.InvariantCulture));
        },
        OnCheckpoint = checkpointPath is null ? null : async (checkpoint, ct) =>
        {
            Directory.CreateDirectory(Path.GetDirectoryName(checkpointPath)!);
            var temporary = checkpointPath + ".tmp";
            await File.WriteAllBytesAsync(temporary, checkpoint.Payload, ct);
            File.Move(temporary, checkpointPath, overwrite: true);
        },
    };

    private static string Describe(EpochProgress p, string error) => string.Create(CultureInfo.InvariantCulture,
        $"epoch {p.Epoch} loss {p.TrainLoss:F4} error {error} widths {string.Join("-", p.Widths)} undecided {p.Undecided}");

    private static void PrintSummary(TrainingResult r)
    {
        var table = new Table().AddColumn("measure").AddColumn("value");
        void Row(string name, string value) => table.AddRow(Markup.Escape(name), Markup.Escape(value));
        var inv = CultureInfo.InvariantCulture;
        Row("layers", string.Join("-", r.LayerNames));
        Row("widths", $"{string.Join("-", r.InitialWidths)} -> {string.Join("-", r.FinalWidths)}");
        if (!double.IsNaN(r.ValidationError))
        {
            Row("validation error (theta >= 0.5)", r.ValidationError.ToString("P2", inv));
        }
        Row("test error (theta >= 0.5)", r.TestError.ToString("P2", inv));
        Row("test error (mean net)", r.TestErrorMeanNet.ToString("P2", inv));
        Row("undecided gates", string.Create(inv, $"{r.Undecided} with 0 < theta < 1; {r.UndecidedTolerant} with {r.UndecidedTolerance} < theta < {1 - r.UndecidedTolerance}"));
        Row("parameters", string.Create(inv, $"{r.Parameters:N0} ({r.ParametersFraction:P1} of the start)"));
        Row("forward multiply-adds", string.Create(inv, $"{r.Flops:N0} per example ({r.FlopsFraction:P1})"));
        Row("training multiply-adds", string.Create(inv, $"{r.TrainFlops:E3} ({r.TrainFlopsFraction:P1} of dense training)"));
        Row("final width reached at epoch", string.Join(", ", r.EpochFinalWidthReached));
        Row("wall time", string.Create(inv, $"{r.WallSeconds:F1} s"));
        AnsiConsole.Write(table);
    }

    private static Dictionary<string, object?> ToJson(TrainingResult r)
    {
        var json = new Dictionary<string, object?> { ["status"] = "completed" };
        foreach (var option in TrialOptionSchema.All.Where(o => o.JsonField is not null))
        {
            json[option.JsonField!] = option.JsonValueOf(r.Options);
        }
        foreach (var (field, value) in Measures(r))
        {
            json[field] = value;
        }
        return json;
    }

    private static Dictionary<string, object?> Measures(TrainingResult r) => new()
    {
        ["layer_names"] = r.LayerNames,
        ["initial_widths"] = r.InitialWidths,
        ["final_widths"] = r.FinalWidths,
        ["params"] = r.Parameters,
        ["params_fraction"] = r.ParametersFraction,
        ["flops"] = r.Flops,
        ["flops_fraction"] = r.FlopsFraction,
        ["validation_error"] = double.IsNaN(r.ValidationError) ? null : r.ValidationError,
        ["test_error"] = r.TestError,
        ["test_error_mean_net"] = r.TestErrorMeanNet,
        ["undecided"] = r.Undecided,
        ["undecided_tolerant"] = r.UndecidedTolerant,
        ["undecided_tolerance"] = r.UndecidedTolerance,
        ["train_flops"] = r.TrainFlops,
        ["train_flops_fraction"] = r.TrainFlopsFraction,
        ["wall_seconds"] = r.WallSeconds,
        ["epoch_widths"] = r.EpochWidths,
        ["epoch_final_width_reached"] = r.EpochFinalWidthReached,
        ["epoch_train_loss"] = r.Epochs.Select(e => e.TrainLoss).ToArray(),
        ["epoch_test_error"] = r.Epochs.Select(e => e.TestError).ToArray(),
        ["epoch_validation_error"] = r.Epochs.Select(e => double.IsNaN(e.ValidationError) ? (double?)null : e.ValidationError).ToArray(),
        ["epoch_undecided"] = r.Epochs.Select(e => e.Undecided).ToArray(),
        ["options"] = r.Options.ToSettings(),
    };

    private static int Fail(TrainSettings settings, string reason, string message)
    {
        // Missing or corrupt data is invalid input (docs/CLI.md): nothing was trained.
        var exitCode = reason == "bad-data" ? ExitCodes.InvalidInput : ExitCodes.Failure;
        if (settings.Json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object?> { ["status"] = "failed", ["reason"] = reason, ["message"] = message }, Json));
        }
        else
        {
            AnsiConsole.MarkupLineInterpolated($"[red]Training failed ({reason}):[/] {message}");
        }
        return exitCode;
    }
}
