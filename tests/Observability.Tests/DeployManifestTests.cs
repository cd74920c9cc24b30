using System.Globalization;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Microsoft.Extensions.Configuration;
using Sweep.Grains.Sweeps;
using Sweep.Grains.Trials;
using Sweep.Observability.Tests.Support;
using Sweep.Silo.Hosting;
using Sweep.Silo.Telemetry;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace Sweep.Observability.Tests;

/// <summary>deploy/ parses, and its images, ports and names agree with each other and with the silo's configuration.</summary>
public sealed class DeployManifestTests
{
    private static readonly string Compose = RepoPaths.Of("deploy", "docker-compose.yml");
    private static readonly string K8s = RepoPaths.Of("deploy", "k8s");

    /// <summary>
    /// The silo's ports as its configuration defines them: src/Silo/appsettings.json bound to the options classes the
    /// silo binds (SweepSiloOptions, TelemetryOptions), their defaults where the file is silent.
    /// </summary>
    private static readonly (int Silo, int Gateway, int Metrics) SiloPorts = ReadSiloPorts();

    [Fact]
    public void Compose_file_runs_redis_two_or_more_silos_a_collector_prometheus_and_grafana()
    {
        var services = Yaml.Load(Compose).Map("services");
        var names = services.Children.Keys.Select(k => ((YamlScalarNode)k).Value!).ToHashSet();
        Assert.Superset(new HashSet<string> { "redis", "silo", "otel-collector", "prometheus", "grafana" }, names);

        var silo = services.Map("silo");
        Assert.True(int.Parse(silo.Text("deploy", "replicas")!, CultureInfo.InvariantCulture) >= 2, "compose must start two or more silos");
        Assert.Equal(SiloImage(), silo.Text("image"));
        Assert.Equal("deploy/silo/Dockerfile", silo.Text("build", "dockerfile"));
        Assert.True(File.Exists(RepoPaths.Of("deploy", "silo", "Dockerfile")));

        var env = silo.Map("environment").Scalars();
        Assert.Equal(SiloPorts.Metrics.ToString(CultureInfo.InvariantCulture), env["Telemetry__Prometheus__Port"]);
        Assert.Equal("*", env["Telemetry__Prometheus__Host"]);
        Assert.StartsWith("http://otel-collector:", env["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var options = SiloOptionsFrom(env);
        Assert.Equal(SiloMode.Cluster, options.Mode);
        Assert.Equal(SiloPorts.Gateway, options.Endpoints.GatewayPort);
        Assert.Equal(SiloPorts.Silo, options.Endpoints.SiloPort);
        Assert.True(options.Endpoints.ListenOnAnyAddress, "containers must listen on every interface");
        Assert.StartsWith("redis:6379,", options.Redis.ConnectionString);

        // Replicas share the environment: the entrypoint sets each one's advertised address, then runs the silo.
        var entrypoint = string.Join(' ', silo.Seq("entrypoint").Cast<YamlScalarNode>().Select(n => n.Value));
        Assert.Contains("Sweep__Endpoints__AdvertisedAddress=", entrypoint, StringComparison.Ordinal);
        Assert.Contains("Sweep.Silo.dll", entrypoint, StringComparison.Ordinal);
        Assert.DoesNotContain("password=sweep", File.ReadAllText(Compose).Replace("${REDIS_PASSWORD:-sweep-dev-password}", "", StringComparison.Ordinal), StringComparison.Ordinal);

        // The gateway is published from the port the silo listens on.
        var published = silo.Seq("ports").Cast<YamlScalarNode>().Select(p => p.Value!).ToList();
        Assert.All(published, p => Assert.EndsWith(":" + SiloPorts.Gateway.ToString(CultureInfo.InvariantCulture), p));
        var exposed = silo.Seq("expose").Cast<YamlScalarNode>().Select(p => int.Parse(p.Value!, CultureInfo.InvariantCulture)).ToHashSet();
        Assert.Contains(SiloPorts.Metrics, exposed);
        Assert.Contains(SiloPorts.Silo, exposed);
    }

    [Fact]
    public void Compose_prometheus_scrapes_every_silo_replica_on_the_telemetry_port()
    {
        var services = Yaml.Load(Compose).Map("services");
        Assert.Contains(services.Seq("prometheus", "volumes").Cast<YamlScalarNode>(), v => v.Value!.StartsWith("./prometheus:/etc/prometheus", StringComparison.Ordinal));

        var prometheus = Yaml.Load(RepoPaths.Of("deploy", "prometheus", "prometheus.yml"));
        var job = prometheus.Seq("scrape_configs").Single(j => j.Text("job_name") == "sweep-silo");
        var sd = job.Seq("dns_sd_configs").Single();
        Assert.Equal(["silo"], sd.Seq("names").Cast<YamlScalarNode>().Select(n => n.Value));
        Assert.Equal(SiloPorts.Metrics.ToString(CultureInfo.InvariantCulture), sd.Text("port"));
        Assert.Equal(new PrometheusEndpointOptions().Path, job.Text("metrics_path"));
        foreach (var rules in prometheus.Seq("rule_files").Cast<YamlScalarNode>())
        {
            Assert.True(File.Exists(RepoPaths.Of("deploy", "prometheus", rules.Value!)), $"missing rule file {rules.Value}");
        }
    }

    [Fact]
    public void Compose_collector_and_grafana_are_provisioned_from_deploy()
    {
        var services = Yaml.Load(Compose).Map("services");
        var collector = Yaml.Load(RepoPaths.Of("deploy", "otel-collector", "config.yaml"));
        Assert.NotNull(collector.Get("receivers", "otlp", "protocols", "grpc"));
        Assert.NotNull(collector.Get("service", "pipelines", "traces"));
        Assert.NotNull(collector.Get("service", "pipelines", "metrics"));
        Assert.Contains(services.Seq("otel-collector", "volumes").Cast<YamlScalarNode>(), v => v.Value!.StartsWith("./otel-collector/config.yaml:", StringComparison.Ordinal));

        var grafanaVolumes = services.Seq("grafana", "volumes").Cast<YamlScalarNode>().Select(v => v.Value!.Split(':')).ToList();
        var dashboardsMount = grafanaVolumes.Single(v => v[0] == "./grafana/dashboards")[1];
        Assert.Contains(grafanaVolumes, v => v[0] == "./grafana/provisioning" && v[1] == "/etc/grafana/provisioning");

        var provider = Yaml.Load(RepoPaths.Of("deploy", "grafana", "provisioning", "dashboards", "dashboards.yml")).Seq("providers").Single();
        Assert.Equal(dashboardsMount, provider.Text("options", "path"));

        var datasources = Yaml.Load(RepoPaths.Of("deploy", "grafana", "provisioning", "datasources", "datasources.yml"))
            .Seq("datasources").Select(d => d.Text("uid")!).ToHashSet();
        foreach (var file in Dashboards.Files)
        {
            foreach (var uid in DatasourceUids(Dashboards.Load(file)))
            {
                Assert.True(datasources.Contains(uid), $"{file} uses datasource '{uid}', which is not provisioned");
            }
        }
    }

    [Fact]
    public void Kubernetes_manifests_parse_and_the_kustomization_lists_them_all()
    {
        var files = Directory.GetFiles(K8s, "*.yaml").Select(Path.GetFileName).ToHashSet();
        var kustomization = Yaml.Load(Path.Combine(K8s, "kustomization.yaml"));
        var listed = kustomization.Seq("resources").Cast<YamlScalarNode>().Select(r => r.Value).ToHashSet();
        Assert.Equal(files.Where(f => f != "kustomization.yaml").Order(), listed.Order());

        foreach (var file in listed)
        {
            foreach (var doc in Yaml.LoadAll(Path.Combine(K8s, file!)))
            {
                Assert.False(string.IsNullOrEmpty(doc.Text("apiVersion")), $"{file}: apiVersion");
                Assert.False(string.IsNullOrEmpty(doc.Text("metadata", "name")), $"{file}: metadata.name");
                if (doc.Text("kind") != "Namespace")
                {
                    Assert.Equal("sweep", doc.Text("metadata", "namespace"));
                }
            }
        }
    }

    [Fact]
    public void Kubernetes_silo_uses_orleans_hosting_with_its_rbac_config_and_secret()
    {
        var all = Directory.GetFiles(K8s, "*.yaml").SelectMany(Yaml.LoadAll).ToList();
        YamlMappingNode Kind(string kind, string name) => all.Single(d => d.Text("kind") == kind && d.Text("metadata", "name") == name);

        var deployment = Kind("Deployment", "sweep-silo");
        Assert.True(int.Parse(deployment.Text("spec", "replicas")!, CultureInfo.InvariantCulture) >= 2);
        var pod = deployment.Map("spec", "template");
        var labels = pod.Map("metadata", "labels").Scalars();
        Assert.False(string.IsNullOrEmpty(labels["orleans/serviceId"]));
        Assert.False(string.IsNullOrEmpty(labels["orleans/clusterId"]));

        var container = pod.Seq("spec", "containers").Single();
        Assert.Equal(SiloImage(), container.Text("image"));
        var ports = container.Seq("ports").ToDictionary(p => p.Text("name")!, p => int.Parse(p.Text("containerPort")!, CultureInfo.InvariantCulture));
        Assert.Equal(new Dictionary<string, int> { ["silo"] = SiloPorts.Silo, ["gateway"] = SiloPorts.Gateway, ["metrics"] = SiloPorts.Metrics }, ports);

        var annotations = pod.Map("metadata", "annotations").Scalars();
        Assert.Equal(SiloPorts.Metrics.ToString(CultureInfo.InvariantCulture), annotations["prometheus.io/port"]);
        Assert.Equal(new PrometheusEndpointOptions().Path, annotations["prometheus.io/path"]);

        // Orleans' Kubernetes hosting reads these from the downward API.
        var env = container.Seq("env").ToDictionary(e => e.Text("name")!);
        Assert.Equal("metadata.name", env["POD_NAME"].Text("valueFrom", "fieldRef", "fieldPath"));
        Assert.Equal("metadata.namespace", env["POD_NAMESPACE"].Text("valueFrom", "fieldRef", "fieldPath"));
        Assert.Equal("status.podIP", env["POD_IP"].Text("valueFrom", "fieldRef", "fieldPath"));
        Assert.Equal("metadata.labels['orleans/serviceId']", env["ORLEANS_SERVICE_ID"].Text("valueFrom", "fieldRef", "fieldPath"));
        Assert.Equal("metadata.labels['orleans/clusterId']", env["ORLEANS_CLUSTER_ID"].Text("valueFrom", "fieldRef", "fieldPath"));

        // The Redis connection string comes from the secret, the rest from the config map.
        var redisRef = env["Sweep__Redis__ConnectionString"].Map("valueFrom", "secretKeyRef");
        var secret = Kind("Secret", redisRef.Text("name")!);
        var connection = secret.Text("stringData", redisRef.Text("key")!)!;
        var redisService = Kind("Service", "redis");
        Assert.StartsWith($"redis.sweep.svc.cluster.local:{redisService.Seq("spec", "ports").Single().Text("port")},", connection);
        var configMapName = container.Seq("envFrom").Single().Text("configMapRef", "name")!;
        var config = Kind("ConfigMap", configMapName).Map("data").Scalars();
        Assert.Equal(SiloPorts.Metrics.ToString(CultureInfo.InvariantCulture), config["Telemetry__Prometheus__Port"]);
        Assert.Equal("*", config["Telemetry__Prometheus__Host"]);
        Assert.DoesNotContain(config.Keys, k => k.Contains("redis", StringComparison.OrdinalIgnoreCase));
        var options = SiloOptionsFrom(new Dictionary<string, string?>(config) { ["Sweep__Redis__ConnectionString"] = connection });
        Assert.Equal(SiloMode.Cluster, options.Mode);
        Assert.True(options.Kubernetes.Enabled, "the silo pods use Orleans' Kubernetes hosting");
        Assert.Equal(SiloPorts.Gateway, options.Endpoints.GatewayPort);
        Assert.Equal(SiloPorts.Silo, options.Endpoints.SiloPort);
        Assert.Equal(labels["orleans/serviceId"], options.ServiceId);
        Assert.Equal(labels["orleans/clusterId"], options.ClusterId);

        // RBAC: the pod's service account may get, list, watch and patch pods.
        var account = pod.Text("spec", "serviceAccountName")!;
        Kind("ServiceAccount", account);
        var binding = all.Single(d => d.Text("kind") == "RoleBinding" && d.Seq("subjects").Any(s => s.Text("name") == account));
        var role = Kind("Role", binding.Text("roleRef", "name")!);
        var rule = role.Seq("rules").Single(r => r.Seq("resources").Cast<YamlScalarNode>().Any(x => x.Value == "pods"));
        Assert.Superset(new HashSet<string> { "get", "list", "watch", "patch" }, rule.Seq("verbs").Cast<YamlScalarNode>().Select(v => v.Value!).ToHashSet());

        // The gateway service targets the container's gateway port.
        var gateway = Kind("Service", "sweep-gateway").Seq("spec", "ports").Single();
        Assert.Equal(SiloPorts.Gateway.ToString(CultureInfo.InvariantCulture), gateway.Text("port"));
        Assert.Equal("gateway", gateway.Text("targetPort"));
        Assert.Equal(labels["app.kubernetes.io/name"], Kind("Service", "sweep-gateway").Text("spec", "selector", "app.kubernetes.io/name"));
    }

    [Fact]
    public void Every_variable_deploy_sets_is_a_configuration_key_the_silo_reads()
    {
        var compose = Yaml.Load(Compose).Map("services", "silo", "environment").Scalars();
        var all = Directory.GetFiles(K8s, "*.yaml").SelectMany(Yaml.LoadAll).ToList();
        var configMap = all.Single(d => d.Text("kind") == "ConfigMap" && d.Text("metadata", "name") == "sweep-silo").Map("data").Scalars();
        var podEnv = all.Single(d => d.Text("kind") == "Deployment").Seq("spec", "template", "spec", "containers").Single()
            .Seq("env").Select(e => e.Text("name")!);

        foreach (var (where, names) in new[] { ("compose", compose.Keys.AsEnumerable()), ("k8s config map", configMap.Keys), ("k8s pod env", podEnv) })
        {
            foreach (var name in names)
            {
                Assert.True(IsReadBySilo(name), $"deploy ({where}) sets {name}, which the silo does not read");
            }
        }

        // Every Sweep__/Telemetry__ key names a property of the options classes (a typo or a renamed key fails here).
        SiloOptionsFrom(compose);
        SiloOptionsFrom(configMap);
    }

    [Fact]
    public void Silo_image_exposes_the_silo_ports_and_runs_the_silo_assembly()
    {
        var dockerfile = File.ReadAllLines(RepoPaths.Of("deploy", "silo", "Dockerfile"));
        var exposed = dockerfile.Where(l => l.StartsWith("EXPOSE ", StringComparison.Ordinal))
            .SelectMany(l => l[7..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(p => int.Parse(p, CultureInfo.InvariantCulture))
            .ToHashSet();
        Assert.Equal(new HashSet<int> { SiloPorts.Silo, SiloPorts.Gateway, SiloPorts.Metrics }, exposed);

        var assembly = XDocument.Load(RepoPaths.Of("src", "Silo", "Silo.csproj")).Descendants("AssemblyName").Single().Value;
        Assert.Contains(dockerfile, l => l.StartsWith("ENTRYPOINT", StringComparison.Ordinal) && l.Contains($"\"{assembly}.dll\"", StringComparison.Ordinal));
    }

    private static string SiloImage()
    {
        var image = Yaml.Load(Compose).Text("services", "silo", "image");
        Assert.False(string.IsNullOrEmpty(image));
        return image!;
    }

    private static IEnumerable<string> DatasourceUids(JsonNode? node) => node switch
    {
        JsonObject o when o["datasource"] is JsonObject ds && ds["uid"] is JsonValue uid =>
            new[] { uid.GetValue<string>() }.Concat(o.Where(kv => kv.Key != "datasource").SelectMany(kv => DatasourceUids(kv.Value))),
        JsonObject o => o.SelectMany(kv => DatasourceUids(kv.Value)),
        JsonArray a => a.SelectMany(DatasourceUids),
        _ => [],
    };

    private static (int, int, int) ReadSiloPorts()
    {
        var configuration = new ConfigurationBuilder().AddJsonFile(RepoPaths.Of("src", "Silo", "appsettings.json")).Build();
        var silo = configuration.GetSection(SweepSiloOptions.Section).Get<SweepSiloOptions>() ?? new SweepSiloOptions();
        var telemetry = configuration.GetSection(TelemetryOptions.SectionName).Get<TelemetryOptions>() ?? new TelemetryOptions();
        return (silo.Endpoints.SiloPort, silo.Endpoints.GatewayPort, telemetry.Prometheus.Port);
    }

    /// <summary>Variables the silo process reads: its configuration sections, OpenTelemetry's, .NET's and Orleans' Kubernetes hosting's.</summary>
    private static bool IsReadBySilo(string name) =>
        name is "POD_NAME" or "POD_NAMESPACE" or "POD_IP" or "ORLEANS_SERVICE_ID" or "ORLEANS_CLUSTER_ID"
        || new[] { "Sweep__", "Telemetry__", "Orleans__ClusterMembership__", "Orleans__Messaging__", "Orleans__GrainCollection__", "OTEL_", "DOTNET_" }
            .Any(p => name.StartsWith(p, StringComparison.Ordinal));

    /// <summary>
    /// Binds environment-style variables (Sweep__Mode, ...) the way the silo does, failing on any Sweep__ or Telemetry__
    /// key that no option property reads and on values that do not parse.
    /// </summary>
    private static SweepSiloOptions SiloOptionsFrom(IReadOnlyDictionary<string, string?> variables)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(variables.Select(kv => KeyValuePair.Create(kv.Key.Replace("__", ":", StringComparison.Ordinal), kv.Value)))
            .Build();
        static void Strict(BinderOptions o) => o.ErrorOnUnknownConfiguration = true;
        configuration.GetSection(TrialRunnerOptions.Section).Get<TrialRunnerOptions>(Strict);
        configuration.GetSection(SweepCoordinatorOptions.Section).Get<SweepCoordinatorOptions>(Strict);
        configuration.GetSection(TelemetryOptions.SectionName).Get<TelemetryOptions>(Strict);

        // The silo's own section, without the subsections other options classes bind.
        var own = new ConfigurationBuilder()
            .AddInMemoryCollection(configuration.GetSection(SweepSiloOptions.Section).AsEnumerable(makePathsRelative: true)
                .Where(kv => !kv.Key.StartsWith("TrialRunner", StringComparison.Ordinal) && !kv.Key.StartsWith("Coordinator", StringComparison.Ordinal)))
            .Build();
        return own.Get<SweepSiloOptions>(Strict) ?? new SweepSiloOptions();
    }
}
