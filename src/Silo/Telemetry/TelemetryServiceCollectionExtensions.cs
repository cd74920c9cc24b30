using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Sweep.Grains.Events;
using Sweep.Grains.Telemetry;
using static Sweep.Grains.Abstractions.Telemetry.TelemetryNames;

namespace Sweep.Silo.Telemetry;

/// <summary>Wires OpenTelemetry metrics and traces for a silo: Sweep's, Orleans', the runtime's and the process's.</summary>
public static class TelemetryServiceCollectionExtensions
{
    /// <summary>Orleans' meter.</summary>
    public const string OrleansMeter = "Microsoft.Orleans";

    /// <summary>Orleans' spans of application grain calls (they carry the trace from client to grains).</summary>
    public const string OrleansApplicationSource = "Microsoft.Orleans.Application";

    /// <summary>Orleans' spans of its own runtime calls (only with <see cref="TelemetryOptions.TraceOrleansRuntime"/>).</summary>
    public const string OrleansRuntimeSource = "Microsoft.Orleans.Runtime";

    /// <summary>The standard variable that switches OTLP export on (metrics and traces).</summary>
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    private static readonly HashSet<string> PerTrialGauges = [.. Metrics.PerTrialGauges];

    /// <summary>
    /// Adds Sweep's telemetry: meters "Sweep" and "Microsoft.Orleans", runtime and process instrumentation, a
    /// Prometheus scrape endpoint (section "Telemetry:Prometheus", loopback by default), and OTLP export of metrics
    /// and traces when OTEL_EXPORTER_OTLP_ENDPOINT is set. The optional callbacks add readers or exporters (tests).
    /// The grains' events go to the instrumentation, one <see cref="SweepTelemetry"/> per silo on the host's
    /// IMeterFactory (<see cref="TelemetrySweepEvents"/> replaces the default NoSweepEvents whether AddSweep ran
    /// before or runs after).
    /// </summary>
    public static IServiceCollection AddSweepTelemetry(
        this IServiceCollection services,
        IConfiguration configuration,
        Action<MeterProviderBuilder>? configureMetrics = null,
        Action<TracerProviderBuilder>? configureTracing = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(TelemetryOptions.SectionName);
        services.AddOptions<TelemetryOptions>().Bind(section);

        // Which exporters exist is decided here (a scrape port already taken leaves the silo running without its
        // endpoint, with a warning); their settings are read when the providers are built.
        var settings = section.Get<TelemetryOptions>() ?? new TelemetryOptions();
        var otlp = !string.IsNullOrWhiteSpace(configuration[OtlpEndpointKey]);
        PrometheusPortReservation? reservation = null;
        string? endpointError = null;
        var prometheus = settings.Prometheus.Enabled && PrometheusEndpoint.TryReserve(settings.Prometheus, out reservation, out endpointError);
        services.AddSingleton(new TelemetryEndpointStatus(
            settings.Prometheus.Enabled ? PrometheusEndpoint.UrlOf(settings.Prometheus) : null, endpointError));
        services.AddOptions<PrometheusHttpListenerOptions>().Configure<IOptions<TelemetryOptions>>((listener, telemetry) =>
        {
            var endpoint = telemetry.Value.Prometheus;
            listener.Host = PrometheusEndpoint.IsWildcard(endpoint.Host) ? "localhost" : endpoint.Host;
            listener.Port = endpoint.Port;
            listener.ScrapeEndpointPath = endpoint.Path;
            listener.ConfigureHttpListener = (_, http) =>
            {
                // Called just before the exporter's listener starts: hand the reserved endpoint over.
                reservation?.Release();
                http.Prefixes.Clear();
                foreach (var prefix in PrometheusEndpoint.PrefixesOf(endpoint))
                {
                    http.Prefixes.Add(prefix);
                }
            };
        });
        services.AddHostedService<TelemetryStartupReport>();
        services.AddMetrics();
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<TelemetryOptions>>().Value;
            return new SweepTelemetry(sp.GetRequiredService<IMeterFactory>(), new TrialSeriesRetention
            {
                Finished = options.FinishedTrialRetention,
                Stale = options.StaleTrialTimeout,
                MaxTrials = options.MaxTrackedTrials,
            });
        });
        services.Replace(ServiceDescriptor.Singleton<ISweepEvents, TelemetrySweepEvents>());

        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(settings.ServiceName))
            .WithMetrics(metrics =>
            {
                metrics
                    .AddMeter(Source, OrleansMeter)
                    .AddRuntimeInstrumentation()
                    .AddProcessInstrumentation();
                ((IDeferredMeterProviderBuilder)metrics).Configure((sp, builder) =>
                    {
                        var options = sp.GetRequiredService<IOptions<TelemetryOptions>>().Value;
                        var ownFactory = sp.GetRequiredService<IMeterFactory>();
                        builder.AddView(instrument =>
                            instrument.Meter.Name != Source ? null
                            // Meters are matched by name process-wide: another host's Sweep meter in this process (tests run
                            // several) would share this silo's streams and end them when its host is disposed.
                            : !ReferenceEquals(instrument.Meter.Scope, ownFactory) ? MetricStreamConfiguration.Drop
                            : PerTrialGauges.Contains(instrument.Name) ? new MetricStreamConfiguration { CardinalityLimit = options.TrialSeriesLimit }
                            : null);
                    });
                if (prometheus)
                {
                    metrics.AddPrometheusHttpListener();
                }

                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }

                configureMetrics?.Invoke(metrics);
            })
            .WithTracing(tracing =>
            {
                tracing.AddSource(Source, OrleansApplicationSource);
                if (settings.TraceOrleansRuntime)
                {
                    tracing.AddSource(OrleansRuntimeSource);
                }

                if (otlp)
                {
                    tracing.AddOtlpExporter();
                }

                configureTracing?.Invoke(tracing);
            });
        return services;
    }
}
