using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Net;
using System.Text.RegularExpressions;
using Sweep.Client.Commands;
using Sweep.Tests.Shared;

namespace Sweep.Client.IntegrationTests;

/// <summary>
/// `sweep launch --local` with the real silo (src/Silo's build output) as a child process and real
/// training on a small generated dataset: the sweep ends, the table is printed, the silo is stopped.
/// </summary>
public sealed class LocalLaunchTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("sweep-local-");

    [Fact]
    public async Task Launch_local_runs_the_sweep_on_a_child_silo_and_stops_it()
    {
        var data = IdxFiles.Write(Path.Combine(_work.FullName, "data"), train: 600, test: 200);
        var spec = Path.Combine(_work.FullName, "local.yaml");
        await File.WriteAllTextAsync(spec, $"""
            name: local
            architecture: lenet300-100
            dataset: {data}
            epochs: 2
            batch-size: 50
            options: {"{"} train-limit: 600, cost: 0.01, sigma1: 1 {"}"}
            grids:
              g: {"{"} seed: [1, 2], width: [0.2] {"}"}
            """);
        var clusterId = "cli-local-" + Guid.NewGuid().ToString("N")[..8];
        var gatewayPort = FreePort();
        var environment = new Dictionary<string, string?>
        {
            ["SWEEP_CLUSTER_ID"] = clusterId,
            ["SWEEP_SERVICE_ID"] = clusterId,
            ["Sweep__Client__RefreshInterval"] = "00:00:00.500",
            ["Sweep__LocalSilo__LogFile"] = Path.Combine(_work.FullName, "silo.log"),
            ["Sweep__LocalSilo__ShutdownTimeout"] = "00:00:30",
            ["Sweep__LocalSilo__Arguments__0"] = $"--Sweep:ClusterId={clusterId}",
            ["Sweep__LocalSilo__Arguments__1"] = $"--Sweep:ServiceId={clusterId}",
            ["Sweep__LocalSilo__Arguments__2"] = $"--Sweep:Endpoints:GatewayPort={gatewayPort}",
            ["Sweep__LocalSilo__Arguments__3"] = $"--Sweep:Endpoints:SiloPort={FreePort()}",
            ["Sweep__LocalSilo__Arguments__4"] = $"--Sweep:Embedded:StateDirectory={Path.Combine(_work.FullName, "state")}",
            ["Sweep__LocalSilo__Arguments__5"] = "--Sweep:TrialRunner:Slots=2",
        };
        var report = Path.Combine(_work.FullName, "report");

        var run = await CliRun.RunAsync(environment, "launch", spec, "--local", "--gateway", $"127.0.0.1:{gatewayPort}", "--report", report);

        Assert.True(run.ExitCode == ExitCodes.Ok, run + File.ReadAllText(Path.Combine(_work.FullName, "silo.log")));
        Assert.StartsWith("local-", run.Out);
        Assert.Contains("Robustness", run.Out);
        Assert.Contains("Started a local silo", run.Error);
        Assert.Contains("Stopping the local silo", run.Error);
        Assert.True(File.Exists(Path.Combine(report, "report.html")));
        var pid = int.Parse(Regex.Match(run.Error, @"pid (\d+)").Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.True(HasExited(pid), $"the local silo (pid {pid}) is still running");
        Assert.Contains("The local silo stopped (exit code 0).", run.Error);
    }

    [Fact]
    public async Task When_the_local_silo_dies_the_client_says_how_to_resume_on_the_configured_gateway()
    {
        var data = IdxFiles.Write(Path.Combine(_work.FullName, "data"), train: 200, test: 50);
        var spec = Path.Combine(_work.FullName, "dies.yaml");
        // Enough epochs that the sweep is still running when its silo is killed.
        await File.WriteAllTextAsync(spec, $"name: dies\narchitecture: lenet300-100\ndataset: {data}\nepochs: 5000\nbatch-size: 50\noptions: {{ cost: 0.01, sigma1: 1 }}\ngrids:\n  g: {{ seed: [1], width: [0.1] }}\n");
        var clusterId = "cli-dies-" + Guid.NewGuid().ToString("N")[..8];
        var gatewayPort = FreePort();
        var environment = new Dictionary<string, string?>
        {
            ["SWEEP_CLUSTER_ID"] = clusterId,
            ["SWEEP_SERVICE_ID"] = clusterId,
            ["Sweep__Client__RefreshInterval"] = "00:00:00.300",
            ["Sweep__LocalSilo__LogFile"] = Path.Combine(_work.FullName, "silo.log"),
            ["Sweep__LocalSilo__Arguments__0"] = $"--Sweep:ClusterId={clusterId}",
            ["Sweep__LocalSilo__Arguments__1"] = $"--Sweep:ServiceId={clusterId}",
            ["Sweep__LocalSilo__Arguments__2"] = $"--Sweep:Endpoints:GatewayPort={gatewayPort}",
            ["Sweep__LocalSilo__Arguments__3"] = $"--Sweep:Endpoints:SiloPort={FreePort()}",
            ["Sweep__LocalSilo__Arguments__4"] = $"--Sweep:Embedded:StateDirectory={Path.Combine(_work.FullName, "state")}",
            ["Sweep__LocalSilo__Arguments__5"] = "--Telemetry:Prometheus:Enabled=false",
        };
        var stderr = new StringWriter();
        var launch = CliRun.RunUntilAsync(environment, ["launch", spec, "--local", "--gateway", $"127.0.0.1:{gatewayPort}", "--id", "dies-20261201-000000-0001"], stderr, CancellationToken.None);

        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (!stderr.ToString().Contains("Launched sweep", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline && !launch.IsCompleted, "the sweep was not launched: " + stderr);
            await Task.Delay(100);
        }
        var pid = int.Parse(Regex.Match(stderr.ToString(), @"pid (\d+)").Groups[1].Value, CultureInfo.InvariantCulture);
        using (var silo = Process.GetProcessById(pid))
        {
            silo.Kill();
        }

        var run = await launch.WaitAsync(TimeSpan.FromMinutes(2));

        Assert.True(run.ExitCode == ExitCodes.Failure, run.ToString());
        Assert.Contains("The local silo exited", run.Error, StringComparison.Ordinal);
        Assert.Contains($"gateway 127.0.0.1:{gatewayPort} does not answer", run.Error, StringComparison.Ordinal);
        Assert.Contains($"sweep launch {spec} --local --id dies-20261201-000000-0001 --gateway 127.0.0.1:{gatewayPort}", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("30000", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Launch_local_with_a_missing_silo_is_invalid_input_and_says_how_to_build_it()
    {
        var spec = Path.Combine(_work.FullName, "missing.yaml");
        await File.WriteAllTextAsync(spec, "name: missing\narchitecture: lenet300-100\ndataset: mnist\ngrids:\n  g: { seed: [1] }\n");

        var run = await CliRun.RunAsync(new Dictionary<string, string?>(), "launch", spec, "--local", "--gateway", $"127.0.0.1:{FreePort()}",
            "--silo", Path.Combine(_work.FullName, "no-silo-here", "Sweep.Silo.dll"));

        Assert.Equal(ExitCodes.InvalidInput, run.ExitCode);
        Assert.Contains("Cannot find the silo", run.Error);
        Assert.Contains("dotnet build src/Silo", run.Error);
    }

    private static bool HasExited(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose() => _work.Delete(recursive: true);
}
