using System.Net;
using Sweep.Grains.Abstractions.Trials;
using Sweep.Grains.Sweeps;

namespace Sweep.Grains.Tests.Sweeps;

/// <summary>Trial records and silo addresses for the coordinator's plain classes, without a silo.</summary>
internal static class SweepRecords
{
    public static SiloAddress SiloAt(int port) => SiloAddress.New(new IPEndPoint(IPAddress.Loopback, port), 1);

    public static TrialSpec Spec(int index, int epochs = 10) => new()
    {
        Index = index,
        Grid = "g",
        Dataset = "mnist",
        Settings = new Dictionary<string, string> { ["seed"] = index.ToString(System.Globalization.CultureInfo.InvariantCulture), ["epochs"] = epochs.ToString(System.Globalization.CultureInfo.InvariantCulture) },
    };

    public static List<TrialRecord> Pending(int count, int epochs = 10) =>
        Enumerable.Range(0, count).Select(i => new TrialRecord { Spec = Spec(i, epochs), State = TrialState.Pending }).ToList();

    public static TrialRecord On(this TrialRecord record, TrialState state, SiloAddress? silo)
    {
        record.State = state;
        record.Silo = silo?.ToParsableString();
        return record;
    }
}
