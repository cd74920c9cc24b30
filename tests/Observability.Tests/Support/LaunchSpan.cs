using System.Diagnostics;
using static Sweep.Grains.Abstractions.Telemetry.TelemetryNames;

namespace Sweep.Observability.Tests.Support;

/// <summary>The root span of <c>sweep launch</c>, started the way the client starts it: its own ActivitySource of the product's name.</summary>
public static class LaunchSpan
{
    private static readonly ActivitySource Client = new(Source);

    public static Activity? Start(string sweep, int trials) =>
        Client.StartActivity(
            Spans.Launch, ActivityKind.Internal, parentContext: default,
            [new(Attributes.Sweep, sweep), new(Attributes.TrialCount, trials)]);
}
