using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Storage;
using Sweep.Silo.Embedded;

namespace Sweep.Grains.Tests.Embedded;

public sealed class SqliteProvidersTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("sweep-sqlite-");

    public void Dispose() => _folder.Delete(recursive: true);

    private sealed class JsonLikeSerializer : IGrainStorageSerializer
    {
        public BinaryData Serialize<T>(T? input) => BinaryData.FromObjectAsJson(input);
        public T? Deserialize<T>(BinaryData input) => input.ToObjectFromJson<T>()!;
    }

    private sealed class Box
    {
        public int Value { get; set; }
    }

    private sealed class Stored<T> : IGrainState<T> where T : new()
    {
        [System.Diagnostics.CodeAnalysis.AllowNull]
        public T State { get; set; } = new();
        public string? ETag { get; set; }
        public bool RecordExists { get; set; }
    }

    [Fact]
    public async Task Grain_state_survives_a_new_database_instance_and_stale_writes_are_refused()
    {
        var grain = GrainId.Create("trial", "sweep-1/0");
        var storage = new SqliteGrainStorage("sweep", new SqliteStateDatabase(_folder.FullName), new JsonLikeSerializer());
        var first = new Stored<Box> { State = { Value = 1 } };
        await storage.WriteStateAsync("trial", grain, first);
        first.State.Value = 2;
        await storage.WriteStateAsync("trial", grain, first);

        // A new process reads the same folder.
        var reopened = new SqliteGrainStorage("sweep", new SqliteStateDatabase(_folder.FullName), new JsonLikeSerializer());
        var read = new Stored<Box>();
        await reopened.ReadStateAsync("trial", grain, read);
        Assert.True(read.RecordExists);
        Assert.Equal(2, read.State.Value);
        var other = new Stored<Box>();
        await reopened.ReadStateAsync("checkpoint", grain, other);
        Assert.False(other.RecordExists);

        // The first writer's ETag is now stale once the second writes.
        read.State.Value = 3;
        await reopened.WriteStateAsync("trial", grain, read);
        first.State.Value = 99;
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("trial", grain, first));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("trial", grain, new Stored<Box>()));

        await reopened.ClearStateAsync("trial", grain, read);
        Assert.False(read.RecordExists);
        var cleared = new Stored<Box>();
        await storage.ReadStateAsync("trial", grain, cleared);
        Assert.False(cleared.RecordExists);
    }

    [Fact]
    public async Task Reminder_rows_are_found_by_grain_and_by_ring_range()
    {
        var table = new SqliteReminderTable(new SqliteStateDatabase(_folder.FullName), Microsoft.Extensions.Options.Options.Create(new ClusterOptions { ServiceId = "svc" }));
        var grains = Enumerable.Range(0, 20).Select(i => GrainId.Create("sweep", $"s{i}")).ToArray();
        foreach (var grain in grains)
        {
            await table.UpsertRow(new ReminderEntry { GrainId = grain, ReminderName = "watchdog", StartAt = DateTime.UtcNow, Period = TimeSpan.FromMinutes(1) });
        }

        var row = await table.ReadRow(grains[3], "watchdog");
        Assert.NotNull(row);
        Assert.Equal(TimeSpan.FromMinutes(1), row.Period);
        Assert.Single((await table.ReadRows(grains[3])).Reminders);

        // (begin, end] ranges, including one that wraps around, partition the ring.
        var hashes = grains.Select(g => g.GetUniformHashCode()).Order().ToArray();
        var cut = hashes[9];
        var lower = await table.ReadRows(cut, hashes[^1]);
        var wrapped = await table.ReadRows(hashes[^1], cut);
        Assert.Equal(10, lower.Reminders.Count);
        Assert.Equal(10, wrapped.Reminders.Count);
        Assert.Empty(lower.Reminders.Select(r => r.GrainId).Intersect(wrapped.Reminders.Select(r => r.GrainId)));

        Assert.False(await table.RemoveRow(grains[3], "watchdog", "wrong-etag"));
        Assert.True(await table.RemoveRow(grains[3], "watchdog", row.ETag!));
        Assert.Null(await table.ReadRow(grains[3], "watchdog"));
    }
}
