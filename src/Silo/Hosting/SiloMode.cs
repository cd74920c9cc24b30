namespace Sweep.Silo.Hosting;

public enum SiloMode
{
    /// <summary>One silo on this machine, state in a local folder (SQLite). No server to install.</summary>
    Embedded,
    /// <summary>Several silos; membership, grain state and reminders in Redis.</summary>
    Cluster,
}
