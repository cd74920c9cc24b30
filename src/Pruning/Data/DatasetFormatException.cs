namespace Sweep.Pruning.Data;

/// <summary>
/// A dataset file is missing, corrupt or inconsistent with its companions. The message names the
/// file, what was expected and what was found. Deterministic: retrying does not help.
/// </summary>
public sealed class DatasetFormatException : Exception
{
    public DatasetFormatException(string filePath, string message)
        : base($"{filePath}: {message}")
    {
        FilePath = filePath;
    }

    public DatasetFormatException(string filePath, string message, Exception innerException)
        : base($"{filePath}: {message}", innerException)
    {
        FilePath = filePath;
    }

    /// <summary>The file at fault (for a mismatch between two files, the second one read).</summary>
    public string FilePath { get; }
}
