namespace Sweep.Silo.Hosting;

public sealed class EmbeddedSettings
{
    /// <summary>Folder of the durable state (grain state and reminders, one SQLite file); default: the user's data folder, sweep/state.</summary>
    public string? StateDirectory { get; set; }

    public string ResolveStateDirectory()
    {
        if (!string.IsNullOrWhiteSpace(StateDirectory))
        {
            return Path.GetFullPath(StateDirectory);
        }
        var xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        var root = !string.IsNullOrWhiteSpace(xdg) && Path.IsPathRooted(xdg)
            ? xdg
            : OperatingSystem.IsWindows()
                ? Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData)
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
        return Path.Combine(root, "sweep", "state");
    }
}
