using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Runtime.Hosting;
using Orleans.Configuration;
using Orleans.Connections.Security;
using Orleans.Storage;
using StackExchange.Redis;
using Sweep.Grains;
using Sweep.Grains.Hosting;
using Sweep.Silo.Embedded;

namespace Sweep.Silo.Hosting;

/// <summary>
/// Configures a Sweep silo from configuration ("Sweep" section, environment variables Sweep__...):
/// embedded (localhost clustering, SQLite state in a folder) or cluster (Redis membership, grain
/// state and reminders; in Kubernetes pods with Orleans' Kubernetes hosting when Sweep:Kubernetes:Enabled),
/// endpoints, optional TLS, and the sweep grains' services.
/// </summary>
public static class SweepSiloConfiguration
{
    public static ISiloBuilder ConfigureSweepSilo(this ISiloBuilder silo)
    {
        var options = silo.Configuration.GetSection(SweepSiloOptions.Section).Get<SweepSiloOptions>() ?? new SweepSiloOptions();
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = options.ClusterId;
            o.ServiceId = options.ServiceId;
        });
        // Orleans' own tunables (e.g. Orleans:ClusterMembership:ProbeTimeout) stay configurable without code.
        silo.Services.Configure<ClusterMembershipOptions>(silo.Configuration.GetSection("Orleans:ClusterMembership"));
        silo.Services.Configure<SiloMessagingOptions>(silo.Configuration.GetSection("Orleans:Messaging"));
        silo.Services.Configure<GrainCollectionOptions>(silo.Configuration.GetSection("Orleans:GrainCollection"));

        var endpoints = options.Endpoints;
        switch (options.Mode)
        {
            case SiloMode.Embedded:
                silo.UseLocalhostClustering(endpoints.SiloPort, endpoints.GatewayPort, serviceId: options.ServiceId, clusterId: options.ClusterId);
                AddEmbeddedState(silo, options.Embedded.ResolveStateDirectory());
                break;
            case SiloMode.Cluster when options.Kubernetes.Enabled:
                // Ports only: Orleans' Kubernetes hosting sets the advertised pod IP and the listening endpoints.
                silo.Configure<EndpointOptions>(o => (o.SiloPort, o.GatewayPort) = (endpoints.SiloPort, endpoints.GatewayPort));
                silo.UseKubernetesHosting();
                AddRedis(silo, options.Redis);
                break;
            case SiloMode.Cluster:
                silo.ConfigureEndpoints(ParseAddress(endpoints.AdvertisedAddress), endpoints.SiloPort, endpoints.GatewayPort, endpoints.ListenOnAnyAddress);
                AddRedis(silo, options.Redis);
                break;
            default:
                throw new InvalidOperationException($"Sweep:Mode '{options.Mode}' is not a silo mode (Embedded or Cluster).");
        }
        if (options.Kubernetes.Enabled && options.Mode != SiloMode.Cluster)
        {
            throw new InvalidOperationException($"Sweep:Kubernetes:Enabled needs Sweep:Mode Cluster (it is {options.Mode}).");
        }
        if (options.Tls.Enabled)
        {
            UseTls(silo, options.Tls);
        }
        return silo.AddSweep();
    }

    internal static void AddEmbeddedState(ISiloBuilder silo, string directory)
    {
        var database = new SqliteStateDatabase(directory);
        silo.Services.AddSingleton(database);
        silo.Services.AddGrainStorage(SweepStorage.Name, (sp, name) =>
            new SqliteGrainStorage(name, sp.GetRequiredService<SqliteStateDatabase>(), sp.GetRequiredService<IGrainStorageSerializer>()));
        silo.AddReminders();
        silo.Services.AddSingleton<IReminderTable, SqliteReminderTable>();
    }

    private static void AddRedis(ISiloBuilder silo, RedisSettings redis)
    {
        if (string.IsNullOrWhiteSpace(redis.ConnectionString))
        {
            throw new InvalidOperationException(
                "Sweep:Mode is Cluster but no Redis connection is configured: set Sweep:Redis:ConnectionString (environment: Sweep__Redis__ConnectionString).");
        }
        // Parsed per provider: each owns and disposes its connection. The string itself is never logged
        // (Orleans' option formatters redact the password).
        ConfigurationOptions Parse() => ConfigurationOptions.Parse(redis.ConnectionString);
        silo.UseRedisClustering(o => o.ConfigurationOptions = Parse());
        silo.AddRedisGrainStorage(SweepStorage.Name, o => o.ConfigurationOptions = Parse());
        silo.UseRedisReminderService(o => o.ConfigurationOptions = Parse());
        // Grain state in Orleans' binary format (the Redis provider otherwise takes its own default).
        silo.Services.AddOptions<Orleans.Persistence.RedisStorageOptions>(SweepStorage.Name)
            .PostConfigure<IGrainStorageSerializer>((o, serializer) => o.GrainStorageSerializer = serializer);
    }

    private static void UseTls(ISiloBuilder silo, TlsSettings tls)
    {
        if (string.IsNullOrWhiteSpace(tls.CertificatePath))
        {
            throw new InvalidOperationException("Sweep:Tls:Enabled is true but Sweep:Tls:CertificatePath is not set.");
        }
        var certificate = LoadCertificate(tls);
        silo.UseTls(certificate, o =>
        {
            o.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
            o.ClientCertificateMode = tls.RequireClientCertificate ? RemoteCertificateMode.RequireCertificate : RemoteCertificateMode.AllowCertificate;
            if (tls.AllowAnyRemoteCertificate)
            {
                o.AllowAnyRemoteCertificate();
            }
        });
    }

    /// <summary>A PKCS#12 file (with its password) or a PEM certificate with its PEM key.</summary>
    public static X509Certificate2 LoadCertificate(TlsSettings tls)
    {
        var path = tls.CertificatePath!;
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"Sweep:Tls:CertificatePath '{path}' does not exist.");
        }
        if (!string.IsNullOrWhiteSpace(tls.KeyPath))
        {
            return X509Certificate2.CreateFromPemFile(path, tls.KeyPath);
        }
        return X509CertificateLoader.LoadPkcs12FromFile(path, tls.CertificatePassword);
    }

    private static IPAddress ParseAddress(string address) =>
        IPAddress.TryParse(address, out var ip) ? ip
        : Dns.GetHostAddresses(address).FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
          ?? throw new InvalidOperationException($"Sweep:Endpoints:AdvertisedAddress '{address}' does not resolve to an IPv4 address.");
}
