using Sweep.Client.Cluster;
using Xunit;

namespace Sweep.Client.Tests.Cluster;

public class GatewayAddressTests
{
    [Theory]
    [InlineData("127.0.0.1:30000", "127.0.0.1", 30000)]
    [InlineData("silo-1.lab:30001", "silo-1.lab", 30001)]
    [InlineData("[::1]:30000", "::1", 30000)]
    [InlineData(" localhost:1 ", "localhost", 1)]
    public void Parses_host_and_port(string text, string host, int port)
    {
        var address = GatewayAddress.Parse(text);

        Assert.Equal(host, address.Host);
        Assert.Equal(port, address.Port);
    }

    [Theory]
    [InlineData("localhost", "is not HOST:PORT")]
    [InlineData(":30000", "is not HOST:PORT")]
    [InlineData("host:port", "port 'port' is not a number")]
    [InlineData("host:65536", "from 1 to 65535")]
    [InlineData("::1:30000", "is not HOST:PORT")]
    [InlineData("bad host:30000", "is not a host name")]
    public void Rejects_with_a_message_naming_the_value(string text, string why)
    {
        var error = GatewayAddress.Check(text);

        Assert.NotNull(error);
        Assert.Contains(why, error);
        Assert.Contains(text, error);
    }

    [Fact]
    public async Task Resolves_ip_literals_without_dns()
    {
        var endpoints = await GatewayAddress.Parse("[::1]:30000").ResolveAsync(CancellationToken.None);

        Assert.Equal("[::1]:30000", Assert.Single(endpoints).ToString());
    }
}
