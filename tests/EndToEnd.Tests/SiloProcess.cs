using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;

namespace Sweep.EndToEnd.Tests;

/// <summary>A real silo process: `dotnet Sweep.Silo.dll` from src/Silo's build output, configured by environment variables.</summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private StreamWriter? _log;

    private SiloProcess(Process process, string name, int siloPort, int gatewayPort)
    {
        _process = process;
        Name = name;
        SiloPort = siloPort;
        GatewayPort = gatewayPort;
    }

    public string Name { get; }
    public int SiloPort { get; }
    public int GatewayPort { get; }
    public bool HasExited => _process.HasExited;

    /// <summary>"127.0.0.1:port@" as in Orleans' parsable silo addresses (the generation follows).</summary>
    public string EndpointPrefix => $"127.0.0.1:{SiloPort}@";

    public string Output => string.Join(Environment.NewLine, _output);

    public static async Task<SiloProcess> StartAsync(string name, IReadOnlyDictionary<string, string> environment, int? siloPort = null, int? gatewayPort = null)
    {
        var silo = siloPort ?? FreePort.Next();
        var gateway = gatewayPort ?? FreePort.Next();
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { SiloDll() },
            WorkingDirectory = Path.GetDirectoryName(SiloDll())!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["Logging__Console__FormatterName"] = "simple";
        start.Environment["Sweep__Endpoints__SiloPort"] = silo.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["Sweep__Endpoints__GatewayPort"] = gateway.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var handle = new SiloProcess(process, name, silo, gateway);
        // SWEEP_E2E_LOG_DIR keeps every silo's whole output in a file, for failures the test message truncates.
        var logDirectory = Environment.GetEnvironmentVariable("SWEEP_E2E_LOG_DIR");
        if (!string.IsNullOrEmpty(logDirectory))
        {
            Directory.CreateDirectory(logDirectory);
            handle._log = new StreamWriter(Path.Combine(logDirectory, $"{DateTime.UtcNow:HHmmss}-{name}-{process.Id}.log")) { AutoFlush = true };
        }
        void Receive(string? line)
        {
            if (line is null)
            {
                return;
            }
            handle._output.Enqueue(line);
            lock (handle._output)
            {
                handle._log?.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {line}");
            }
        }
        process.OutputDataReceived += (_, e) => Receive(e.Data);
        process.ErrorDataReceived += (_, e) => Receive(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        // Ready when the gateway accepts connections.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"silo {name} exited with {process.ExitCode}:{Environment.NewLine}{handle.Output}");
            }
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", gateway);
                return handle;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }
    }

    /// <summary>SIGKILL: no shutdown, no last checkpoint.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
        lock (_output)
        {
            _log?.Dispose();
            _log = null;
        }
    }

    /// <summary>src/Silo/bin/CONFIGURATION/net10.0/Sweep.Silo.dll, the configuration being this test assembly's.</summary>
    private static string SiloDll()
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = output.Name;
        var configuration = output.Parent!.Name;
        var root = output;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Sweep.sln")))
        {
            root = root.Parent;
        }
        var dll = Path.Combine(root?.FullName ?? throw new InvalidOperationException("Sweep.sln not found above " + output.FullName),
            "src", "Silo", "bin", configuration, framework, "Sweep.Silo.dll");
        return File.Exists(dll) ? dll : throw new InvalidOperationException($"{dll} is missing: build src/Silo ({configuration}) first.");
    }
}
