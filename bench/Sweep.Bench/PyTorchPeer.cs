using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Sweep.Bench;

/// <summary>
/// The PyTorch peer (../shared/bench/pytorch_peer.py beside the repository, Debian's python3-torch): the
/// same dense training loop, one thread, full training set. bench/trial/run.sh installs python3-torch;
/// the harness only runs it when present and says why when it does not.
/// </summary>
internal static partial class PyTorchPeer
{
    public static string LastProblem { get; private set; } = "";

    public static string Version { get; private set; } = "PyTorch";

    /// <summary>--peer-script PATH (default ../shared/bench/pytorch_peer.py from the repository root), --python EXE (see <see cref="Python"/>).</summary>
    public static string Script(BenchOptions o) => o.Extra.TryGetValue("peer-script", out var s)
        ? s
        : Path.GetFullPath(Path.Combine(TrialPlan.RepositoryRoot(), "..", "shared", "bench", "pytorch_peer.py"));

    /// <summary>--python EXE; by default Debian's interpreter, where apt's python3-torch lives (a python3 earlier on PATH may be another one).</summary>
    public static string Python(BenchOptions o) =>
        o.Extra.GetValueOrDefault("python", File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3");

    /// <summary>Seconds per epoch of <paramref name="epochs"/> epochs (the first is a warm-up when there are two or more), or null with <see cref="LastProblem"/> set.</summary>
    public static Summary? Run(BenchOptions o, string arch, int epochs)
    {
        var script = Script(o);
        if (!File.Exists(script))
        {
            LastProblem = $"{script} not found (pass --peer-script)";
            return null;
        }
        var python = Python(o);
        var version = Exec(python, ["-c", "import torch; print(torch.__version__)"], out var versionOutput);
        if (version != 0)
        {
            LastProblem = $"{python} has no torch module (bench/trial/run.sh installs python3-torch)";
            return null;
        }
        Version = "PyTorch " + versionOutput.Trim();
        var runs = epochs > 1 ? epochs + 1 : epochs;
        var code = Exec(python, [script, o.DataDirectory, arch, "1", runs.ToString(CultureInfo.InvariantCulture)], out var output);
        var seconds = EpochLine().Matches(output).Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        Console.Error.WriteLine($"  peer {arch}: exit {code}, epochs {string.Join(' ', seconds.Select(s => s.ToString("F2", CultureInfo.InvariantCulture)))}");
        if (code != 0 || seconds.Count < runs)
        {
            LastProblem = $"peer exited {code} with {seconds.Count} of {runs} epochs: {output.Trim().Split('\n').LastOrDefault()}";
            return null;
        }
        return Summary.Of(runs > epochs ? seconds.Skip(1) : seconds);
    }

    /// <summary>The library Debian's BLAS alternative points to: the reference BLAS makes the peer several times slower than OpenBLAS.</summary>
    public static string Blas()
    {
        const string Link = "/usr/lib/x86_64-linux-gnu/libblas.so.3";
        try
        {
            return File.Exists(Link) ? new FileInfo(Link).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Link : "unknown";
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static int Exec(string file, string[] args, out string output)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        // One thread, as Sweep's trials: OpenMP and MKL read these when torch loads.
        start.Environment["OMP_NUM_THREADS"] = "1";
        start.Environment["MKL_NUM_THREADS"] = "1";
        start.Environment["OPENBLAS_NUM_THREADS"] = "1";
        try
        {
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            output = process.StandardOutput.ReadToEnd() + stderr.Result;
            process.WaitForExit();
            return process.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            output = e.Message;
            return -1;
        }
    }

    [GeneratedRegex(@"epoch \d+ ([0-9.]+)s")]
    private static partial Regex EpochLine();
}
