using Microsoft.Extensions.Configuration;

namespace Sweep.Client.Configuration;

/// <summary>
/// The client's configuration, lowest precedence first: appsettings.json next to the client,
/// the JSON file named by SWEEP_CONFIG, environment variables (Sweep__Client__ClusterId=...),
/// the short variables below. Command-line options override all of them (each command applies its own).
/// </summary>
public sealed class ClientConfiguration
{
    /// <summary>Short environment variables and the keys they set.</summary>
    public static IReadOnlyDictionary<string, string> ShortVariables { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["SWEEP_GATEWAYS"] = "Sweep:Client:Gateways",
        ["SWEEP_CLUSTER_ID"] = "Sweep:Client:ClusterId",
        ["SWEEP_SERVICE_ID"] = "Sweep:Client:ServiceId",
        ["SWEEP_SILO_PATH"] = "Sweep:LocalSilo:Path",
    };

    public ClientConfiguration(IConfiguration configuration)
    {
        Configuration = configuration;
        Client = configuration.GetSection(ClientOptions.Section).Get<ClientOptions>() ?? new ClientOptions();
        LocalSilo = configuration.GetSection(LocalSiloOptions.Section).Get<LocalSiloOptions>() ?? new LocalSiloOptions();
    }

    public IConfiguration Configuration { get; }

    public ClientOptions Client { get; }

    public LocalSiloOptions LocalSilo { get; }

    /// <summary>Reads the configuration sources of a normal run.</summary>
    public static ClientConfiguration Load(string? baseDirectory = null, IReadOnlyDictionary<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value, StringComparer.Ordinal);
        var builder = new ConfigurationBuilder()
            .SetBasePath(baseDirectory ?? AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true, reloadOnChange: false);
        if (environment.TryGetValue("SWEEP_CONFIG", out var file) && !string.IsNullOrWhiteSpace(file))
        {
            builder.AddJsonFile(Path.GetFullPath(file), optional: false, reloadOnChange: false);
        }
        builder.AddInMemoryCollection(environment.Where(e => e.Key.StartsWith("Sweep__", StringComparison.OrdinalIgnoreCase))
            .Select(e => KeyValuePair.Create(e.Key.Replace("__", ":", StringComparison.Ordinal), e.Value)));
        builder.AddInMemoryCollection(ShortSettings(environment));
        return new ClientConfiguration(builder.Build());
    }

    private static IEnumerable<KeyValuePair<string, string?>> ShortSettings(IReadOnlyDictionary<string, string?> environment)
    {
        foreach (var (variable, key) in ShortVariables)
        {
            if (!environment.TryGetValue(variable, out var value) || string.IsNullOrWhiteSpace(value))
            {
                continue;
            }
            if (key == "Sweep:Client:Gateways")
            {
                var gateways = value.Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                for (var i = 0; i < gateways.Length; i++)
                {
                    yield return KeyValuePair.Create($"{key}:{i}", (string?)gateways[i]);
                }
                continue;
            }
            yield return KeyValuePair.Create(key, (string?)value);
        }
    }
}
