using Sweep.Grains.Abstractions.Trials;

namespace Sweep.Grains.Sweeps;

/// <summary>
/// Starting pending trials on free slots: in trial order, each on the live silo with the most free slots, until no
/// slot is free. Passes never overlap: a pass asked for while one runs (the coordinator is reentrant, results
/// arrive while it starts trials) runs once more after it.
/// </summary>
public sealed class TrialDispatcher
{
    private bool _dispatching;
    private bool _again;

    /// <summary>
    /// Marks the pending trials that get a slot as queued on their silo (<paramref name="slots"/>: slots per live
    /// silo; a started trial takes one on its silo) and returns them in trial order.
    /// </summary>
    public static IReadOnlyList<(TrialRecord Trial, SiloAddress Silo)> Place(IReadOnlyList<TrialRecord> trials, IReadOnlyDictionary<SiloAddress, int> slots, DateTime now)
    {
        if (slots.Count == 0)
        {
            return [];
        }
        var busy = slots.Keys.ToDictionary(s => s, _ => 0);
        foreach (var record in trials.Where(t => t.Started && t.Silo is not null))
        {
            var silo = SiloAddress.FromParsableString(record.Silo!);
            if (busy.TryGetValue(silo, out var count))
            {
                busy[silo] = count + 1;
            }
        }
        var starts = new List<(TrialRecord Trial, SiloAddress Silo)>();
        foreach (var record in trials.Where(t => t.State == TrialState.Pending))
        {
            var (silo, free) = slots.Select(c => (c.Key, Free: c.Value - busy[c.Key])).MaxBy(c => c.Free);
            if (free <= 0)
            {
                break;
            }
            busy[silo]++;
            record.State = TrialState.Queued;
            record.Silo = silo.ToParsableString();
            record.DispatchedAt = now;
            starts.Add((record, silo));
        }
        return starts;
    }

    /// <summary>Runs <paramref name="pass"/>, again while another pass was asked for meanwhile and <paramref name="running"/> holds.</summary>
    public async Task DispatchAsync(Func<Task> pass, Func<bool> running)
    {
        if (_dispatching)
        {
            _again = true;
            return;
        }
        _dispatching = true;
        try
        {
            do
            {
                _again = false;
                await pass();
            }
            while (_again && running());
        }
        finally
        {
            _dispatching = false;
        }
    }
}
