using System.Text.Json;

namespace Sweep.Pruning.Data;

/// <summary>
/// What a dataset directory declares about itself, from an optional <c>dataset.json</c> next to its
/// IDX files: <c>{ "classes": 10, "sha256": { "train-images-idx3-ubyte": "…" } }</c>. Without the
/// file a directory is MNIST-like: 10 classes, no checksums. The class count is declared, not
/// guessed from the largest label, so that a stray label is an error instead of an extra class.
/// </summary>
/// <param name="Classes">Labels must lie in [0, Classes).</param>
/// <param name="Sha256ByFile">Hex SHA-256 of the uncompressed content, per standard file name; checked when present.</param>
public sealed record DatasetDeclaration(int Classes, IReadOnlyDictionary<string, string> Sha256ByFile)
{
    /// <summary>The declaration's file name inside a dataset directory.</summary>
    public const string FileName = "dataset.json";

    /// <summary>Classes of an IDX directory that declares nothing (MNIST and its look-alikes).</summary>
    public const int DefaultClasses = 10;

    /// <summary>Labels are stored as one unsigned byte.</summary>
    private const int MaxClasses = 256;

    public static DatasetDeclaration Default { get; } = new(DefaultClasses, new Dictionary<string, string>());

    /// <summary>The declaration of a known dataset: its classes and its published checksums.</summary>
    public static DatasetDeclaration Of(KnownDataset dataset) => new(dataset.Classes, dataset.Sha256ByFile);

    /// <summary>
    /// Reads <see cref="FileName"/> in <paramref name="directory"/>, or <see cref="Default"/> when there is none.
    /// Throws <see cref="DatasetFormatException"/> naming the file when it is not a valid declaration.
    /// </summary>
    public static DatasetDeclaration Read(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            return Default;
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new DatasetFormatException(path, $"not valid JSON at line {(e.LineNumber ?? 0) + 1}, column {(e.BytePositionInLine ?? 0) + 1}: {e.Message}");
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new DatasetFormatException(path, "must be a JSON object with \"classes\" and optionally \"sha256\".");
            }
            var classes = DefaultClasses;
            var checksums = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "classes":
                        if (property.Value.ValueKind != JsonValueKind.Number || !property.Value.TryGetInt32(out classes) || classes is < 2 or > MaxClasses)
                        {
                            throw new DatasetFormatException(path, $"\"classes\" is {property.Value.GetRawText()}: expected a whole number from 2 to {MaxClasses}.");
                        }
                        break;
                    case "sha256":
                        if (property.Value.ValueKind != JsonValueKind.Object)
                        {
                            throw new DatasetFormatException(path, "\"sha256\" must map file names to hex SHA-256 checksums.");
                        }
                        foreach (var file in property.Value.EnumerateObject())
                        {
                            if (!DatasetFiles.All.Contains(file.Name))
                            {
                                throw new DatasetFormatException(path, $"\"sha256\" names '{file.Name}', not one of {string.Join(", ", DatasetFiles.All)}.");
                            }
                            if (file.Value.GetString() is not { Length: 64 } sha || !sha.All(char.IsAsciiHexDigit))
                            {
                                throw new DatasetFormatException(path, $"\"sha256\" of {file.Name} is {file.Value.GetRawText()}: expected 64 hex digits.");
                            }
                            checksums[file.Name] = sha.ToLowerInvariant();
                        }
                        break;
                    default:
                        throw new DatasetFormatException(path, $"unknown key \"{property.Name}\" (known: classes, sha256).");
                }
            }
            return new DatasetDeclaration(classes, checksums);
        }
    }
}
