using System.Collections.Concurrent;

namespace Sweep.Grains.Telemetry;

/// <summary>
/// Latest value per key for observable gauges, with a bounded lifetime: an entry marked finished is kept for
/// <see cref="TrialSeriesRetention.Finished"/>, one not updated for <see cref="TrialSeriesRetention.Stale"/> is
/// dropped, and at most <see cref="TrialSeriesRetention.MaxTrials"/> are kept. Thread-safe.
/// </summary>
public sealed class LatestValues<TKey, TValue>
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, Entry> _entries = new();
    private readonly TimeProvider _time;

    public LatestValues(TimeProvider? time = null) => _time = time ?? TimeProvider.System;

    public TrialSeriesRetention Retention { get; set; } = new();

    /// <summary>Replaces the value of <paramref name="key"/> (a finished entry becomes live again).</summary>
    public void Set(TKey key, TValue value)
    {
        _entries[key] = new Entry(value, _time.GetUtcNow(), FinishedAt: null);
        if (_entries.Count > Retention.MaxTrials)
        {
            Trim();
        }
    }

    /// <summary>Changes the value of <paramref name="key"/> from its current one (default when absent).</summary>
    public void Update(TKey key, Func<TValue?, TValue> update)
    {
        var now = _time.GetUtcNow();
        _entries.AddOrUpdate(
            key,
            static (_, a) => new Entry(a.update(default), a.now, null),
            static (_, old, a) => new Entry(a.update(old.Value), a.now, old.FinishedAt),
            (update, now));
        if (_entries.Count > Retention.MaxTrials)
        {
            Trim();
        }
    }

    /// <summary>Starts the retention countdown of <paramref name="key"/>; a later update does not revive it, <see cref="Set"/> does.</summary>
    public void MarkFinished(TKey key)
    {
        var now = _time.GetUtcNow();
        while (_entries.TryGetValue(key, out var entry) && entry.FinishedAt is null)
        {
            if (_entries.TryUpdate(key, entry with { FinishedAt = now }, entry))
            {
                return;
            }
        }
    }

    /// <summary>Cancels a pending <see cref="MarkFinished"/> (a finished trial started again).</summary>
    public void Revive(TKey key)
    {
        while (_entries.TryGetValue(key, out var entry) && entry.FinishedAt is not null)
        {
            if (_entries.TryUpdate(key, entry with { FinishedAt = null, UpdatedAt = _time.GetUtcNow() }, entry))
            {
                return;
            }
        }
    }

    public bool TryGet(TKey key, out TValue value)
    {
        if (_entries.TryGetValue(key, out var entry))
        {
            value = entry.Value;
            return true;
        }

        value = default!;
        return false;
    }

    /// <summary>Drops expired entries, then returns the remaining ones.</summary>
    public IReadOnlyList<KeyValuePair<TKey, TValue>> Snapshot()
    {
        var now = _time.GetUtcNow();
        var live = new List<KeyValuePair<TKey, TValue>>(_entries.Count);
        foreach (var (key, entry) in _entries)
        {
            var expired = (entry.FinishedAt is { } finished && now - finished >= Retention.Finished)
                || now - entry.UpdatedAt >= Retention.Stale;
            if (expired)
            {
                _entries.TryRemove(new KeyValuePair<TKey, Entry>(key, entry));
            }
            else
            {
                live.Add(new KeyValuePair<TKey, TValue>(key, entry.Value));
            }
        }

        return live;
    }

    private void Trim()
    {
        var excess = _entries.Count - Retention.MaxTrials;
        if (excess <= 0)
        {
            return;
        }

        var victims = _entries
            .OrderBy(e => e.Value.FinishedAt is null)          // finished first
            .ThenBy(e => e.Value.UpdatedAt)                    // then the least recently updated
            .Take(excess)
            .ToList();
        foreach (var victim in victims)
        {
            _entries.TryRemove(victim);
        }
    }

    private sealed record Entry(TValue Value, DateTimeOffset UpdatedAt, DateTimeOffset? FinishedAt);
}
