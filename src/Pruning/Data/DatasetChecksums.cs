using System.Security.Cryptography;

namespace Sweep.Pruning.Data;

/// <summary>SHA-256 of a dataset file's uncompressed content, and verification of a directory.</summary>
public static class DatasetChecksums
{
    /// <summary>Lower-case hex SHA-256 of the uncompressed content of a raw or ".gz" file.</summary>
    public static async Task<string> ComputeAsync(string path, CancellationToken cancellationToken = default)
    {
        await using var content = IdxReader.OpenContent(path);
        var hash = await SHA256.HashDataAsync(content, cancellationToken);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>The same as <see cref="ComputeAsync"/>, for callers that are synchronous by contract (loading a dataset).</summary>
    public static string Compute(string path)
    {
        using var content = IdxReader.OpenContent(path);
        return Convert.ToHexStringLower(SHA256.HashData(content));
    }

    /// <summary>
    /// Throws <see cref="DatasetFormatException"/> naming <paramref name="displayName"/> when the
    /// content of <paramref name="path"/> does not have the SHA-256 <paramref name="expectedSha256"/>.
    /// </summary>
    public static async Task VerifyAsync(string path, string expectedSha256, string displayName, CancellationToken cancellationToken = default)
    {
        var actual = await ComputeAsync(path, cancellationToken);
        if (!string.Equals(actual, expectedSha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new DatasetFormatException(displayName,
                $"checksum mismatch: expected SHA-256 {expectedSha256} of the uncompressed content but found {actual}.");
        }
    }

    /// <summary>
    /// The problems that keep <paramref name="directory"/> from holding a verified copy of
    /// <paramref name="dataset"/> (missing files, checksum mismatches); empty when it does.
    /// </summary>
    public static async Task<IReadOnlyList<string>> FindProblemsAsync(string directory, KnownDataset dataset, CancellationToken cancellationToken = default)
    {
        var problems = new List<string>();
        foreach (var (name, sha256) in dataset.Sha256ByFile)
        {
            var path = Directory.Exists(directory) ? DatasetFiles.Find(directory, name) : null;
            if (path is null)
            {
                problems.Add($"{Path.Combine(directory, name)}: missing.");
                continue;
            }
            try
            {
                await VerifyAsync(path, sha256, path, cancellationToken);
            }
            catch (Exception ex) when (ex is DatasetFormatException or IOException or InvalidDataException)
            {
                problems.Add(ex.Message);
            }
        }
        return problems;
    }
}
