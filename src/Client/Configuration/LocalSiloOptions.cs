namespace Sweep.Client.Configuration;

/// <summary>
/// The silo that `sweep launch --local` starts as a child process ("Sweep:LocalSilo" section;
/// SWEEP_SILO_PATH sets <see cref="Path"/>).
/// </summary>
public sealed class LocalSiloOptions
{
    public const string Section = "Sweep:LocalSilo";

    /// <summary>
    /// Sweep.Silo.dll, the Sweep.Silo executable, or a folder holding either. Empty: next to the
    /// client, else src/Silo/bin/{Release,Debug}/net10.0 above the client (a source checkout).
    /// </summary>
    public string? Path { get; set; }

    /// <summary>Extra command-line arguments for the silo (configuration overrides such as "--Orleans:GatewayPort=30001").</summary>
    public List<string> Arguments { get; set; } = [];

    /// <summary>How long the silo may take to accept clients.</summary>
    public TimeSpan StartupTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long the silo may take to stop after SIGTERM (running trials checkpoint first) before it is killed.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Where the silo's output goes; empty: a file in the temporary folder, named in the client's messages.</summary>
    public string? LogFile { get; set; }
}
