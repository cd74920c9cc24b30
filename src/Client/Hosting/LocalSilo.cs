using System.Diagnostics;
using System.Runtime.InteropServices;
using Sweep.Client.Cluster;
using Sweep.Client.Configuration;

namespace Sweep.Client.Hosting;

/// <summary>
/// The embedded silo of `sweep launch --local`, run as a child process of the client. A child
/// process rather than an in-process silo keeps the client free of grain implementations (the
/// client references Grains.Abstractions only, DESIGN.md), keeps TorchSharp's process-wide
/// thread settings and native memory out of the client, and runs exactly the silo a user
/// would start with `dotnet run --project src/Silo`, with the same configuration and state folder.
/// The silo's output goes to a log file; stopping sends SIGTERM (the silo checkpoints running
/// trials) and kills it only after <see cref="LocalSiloOptions.ShutdownTimeout"/>.
/// </summary>
public sealed class LocalSilo : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly TimeSpan _shutdownTimeout;
    private bool _stopped;

    private LocalSilo(Process process, StreamWriter log, string logPath, TimeSpan shutdownTimeout)
    {
        _process = process;
        _log = log;
        LogPath = logPath;
        _shutdownTimeout = shutdownTimeout;
    }

    public string LogPath { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>True when the silo did not stop within the shutdown timeout and was killed.</summary>
    public bool Killed { get; private set; }

    /// <summary>The silo's exit code once it has exited.</summary>
    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    /// <summary>Starts the silo; it is not yet accepting clients (connect with retries until it is).</summary>
    public static LocalSilo Start(SiloLocator.SiloCommand command, LocalSiloOptions options, string workingDirectory)
    {
        var logPath = string.IsNullOrWhiteSpace(options.LogFile)
            ? Path.Combine(Path.GetTempPath(), $"sweep-local-silo-{Environment.ProcessId}.log")
            : Path.GetFullPath(options.LogFile);
        Directory.CreateDirectory(Path.GetDirectoryName(logPath)!);
        var info = new ProcessStartInfo(command.FileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in command.Arguments.Concat(options.Arguments))
        {
            info.ArgumentList.Add(argument);
        }
        var log = new StreamWriter(logPath, append: false) { AutoFlush = true };
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => WriteLine(log, e.Data);
        process.ErrorDataReceived += (_, e) => WriteLine(log, e.Data);
        try
        {
            if (!process.Start())
            {
                throw new LocalSiloException($"Could not start the silo {command.Location}.");
            }
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            log.Dispose();
            process.Dispose();
            throw new LocalSiloException($"Could not start the silo {command.Location}: {ex.Message}", ex);
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new LocalSilo(process, log, logPath, options.ShutdownTimeout);
    }

    private static void WriteLine(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (log)
        {
            log.WriteLine(line);
        }
    }

    /// <summary>The last lines of the silo's output (for error messages).</summary>
    public string Tail(int lines = 20)
    {
        try
        {
            lock (_log)
            {
                _log.Flush();
            }
            using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            var all = reader.ReadToEnd().Split('\n');
            return string.Join('\n', all.TakeLast(lines)).TrimEnd();
        }
        catch (IOException)
        {
            return "";
        }
    }

    /// <summary>Asks the silo to stop (SIGTERM; its running trials checkpoint) and waits; kills it after the shutdown timeout.</summary>
    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }
        _stopped = true;
        if (!_process.HasExited)
        {
            var signalled = !OperatingSystem.IsWindows() && NativeMethods.kill(_process.Id, NativeMethods.SIGTERM) == 0;
            if (!signalled)
            {
                Killed = true;
                _process.Kill(entireProcessTree: true);
            }
            using var timeout = new CancellationTokenSource(_shutdownTimeout);
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                Killed = true;
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync(CancellationToken.None);
            }
        }
        else
        {
            await _process.WaitForExitAsync(CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
        lock (_log)
        {
            _log.Dispose();
        }
    }

    private static class NativeMethods
    {
        public const int SIGTERM = 15;

        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int kill(int pid, int sig);
    }
}
