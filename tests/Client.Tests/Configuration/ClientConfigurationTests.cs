using Sweep.Client.Configuration;
using Xunit;

namespace Sweep.Client.Tests.Configuration;

public class ClientConfigurationTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sweep-config-").FullName;

    [Fact]
    public void Defaults_reach_the_embedded_silo()
    {
        var configuration = ClientConfiguration.Load(_directory, new Dictionary<string, string?>());

        Assert.Equal(["127.0.0.1:30000"], configuration.Client.EffectiveGateways);
        Assert.Equal(4, configuration.Client.ConnectAttempts);
        Assert.Null(configuration.LocalSilo.Path);
    }

    [Fact]
    public void Environment_overrides_appsettings_and_short_variables_override_both()
    {
        File.WriteAllText(Path.Combine(_directory, "appsettings.json"), """
            { "Sweep": { "Client": { "Gateways": ["10.0.0.1:30000"], "ClusterId": "file", "ConnectAttempts": 7 },
                         "LocalSilo": { "Path": "/from/file" } } }
            """);
        var environment = new Dictionary<string, string?>
        {
            ["Sweep__Client__ClusterId"] = "env",
            ["Sweep__Client__ConnectTimeout"] = "00:00:02",
            ["SWEEP_GATEWAYS"] = "10.0.0.2:30000, 10.0.0.3:30000",
            ["SWEEP_SILO_PATH"] = "/from/env",
        };

        var configuration = ClientConfiguration.Load(_directory, environment);

        Assert.Equal(["10.0.0.2:30000", "10.0.0.3:30000"], configuration.Client.EffectiveGateways);
        Assert.Equal("env", configuration.Client.ClusterId);
        Assert.Equal(7, configuration.Client.ConnectAttempts);
        Assert.Equal(TimeSpan.FromSeconds(2), configuration.Client.ConnectTimeout);
        Assert.Equal("/from/env", configuration.LocalSilo.Path);
    }

    [Fact]
    public void Sweep_config_names_an_extra_file()
    {
        var file = Path.Combine(_directory, "lab.json");
        File.WriteAllText(file, """{ "Sweep": { "Client": { "ServiceId": "lab" } } }""");

        var configuration = ClientConfiguration.Load(_directory, new Dictionary<string, string?> { ["SWEEP_CONFIG"] = file });

        Assert.Equal("lab", configuration.Client.ServiceId);
    }

    public void Dispose()
    {
        Directory.Delete(_directory, recursive: true);
        GC.SuppressFinalize(this);
    }
}
