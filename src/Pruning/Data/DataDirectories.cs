namespace Sweep.Pruning.Data;

/// <summary>Where datasets live when the user does not say.</summary>
public static class DataDirectories
{
    /// <summary>Environment variable naming the dataset directory, overriding the default.</summary>
    public const string EnvironmentVariable = "SWEEP_DATA_DIR";

    /// <summary>
    /// $SWEEP_DATA_DIR when set; otherwise &lt;user cache folder&gt;/sweep/datasets/&lt;name&gt;, the user
    /// cache folder being $XDG_CACHE_HOME, else ~/.cache (on Windows, the local application data folder).
    /// </summary>
    public static string Default(string datasetName)
    {
        var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Path.GetFullPath(configured);
        }
        return Path.Combine(UserCacheFolder(), "sweep", "datasets", datasetName.ToLowerInvariant());
    }

    /// <summary>$XDG_CACHE_HOME when set (an absolute path), else ~/.cache; on Windows, the local application data folder.</summary>
    public static string UserCacheFolder()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (!string.IsNullOrWhiteSpace(xdg) && Path.IsPathRooted(xdg))
        {
            return xdg;
        }
        if (OperatingSystem.IsWindows())
        {
            return Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
        }
        return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
    }
}
