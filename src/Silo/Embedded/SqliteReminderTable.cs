using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Sweep.Silo.Embedded;

/// <summary>Durable reminders in the embedded silo's SQLite file (Orleans ships no local durable reminder table).</summary>
public sealed class SqliteReminderTable(SqliteStateDatabase database, IOptions<ClusterOptions> cluster) : IReminderTable
{
    private readonly string _serviceId = cluster.Value.ServiceId;

    public Task<ReminderTableData> ReadRows(GrainId grainId) => Query("grain_id = $g", c => c.Parameters.AddWithValue("$g", grainId.ToString()));

    public Task<ReminderTableData> ReadRows(uint begin, uint end) =>
        // Orleans' ring ranges are (begin, end], wrapping around when begin >= end.
        Query(begin < end ? "grain_hash > $b AND grain_hash <= $e" : "(grain_hash > $b OR grain_hash <= $e)", c =>
        {
            c.Parameters.AddWithValue("$b", (long)begin);
            c.Parameters.AddWithValue("$e", (long)end);
        });

    public async Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName)
    {
        var rows = await Query("grain_id = $g AND name = $n", c =>
        {
            c.Parameters.AddWithValue("$g", grainId.ToString());
            c.Parameters.AddWithValue("$n", reminderName);
        });
        return rows.Reminders.FirstOrDefault();
    }

    public Task<string?> UpsertRow(ReminderEntry entry) => database.RunAsync<string?>(connection =>
    {
        var etag = Guid.NewGuid().ToString("N");
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO reminders (service_id, grain_id, name, grain_hash, start_at, period, etag) VALUES ($sid, $g, $n, $h, $s, $p, $t)
            ON CONFLICT (service_id, grain_id, name) DO UPDATE SET grain_hash = $h, start_at = $s, period = $p, etag = $t
            """;
        command.Parameters.AddWithValue("$sid", _serviceId);
        command.Parameters.AddWithValue("$g", entry.GrainId.ToString());
        command.Parameters.AddWithValue("$n", entry.ReminderName);
        command.Parameters.AddWithValue("$h", (long)entry.GrainId.GetUniformHashCode());
        command.Parameters.AddWithValue("$s", entry.StartAt.ToUniversalTime().Ticks);
        command.Parameters.AddWithValue("$p", entry.Period.Ticks);
        command.Parameters.AddWithValue("$t", etag);
        command.ExecuteNonQuery();
        return etag;
    });

    public Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag) => database.RunAsync(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM reminders WHERE service_id = $sid AND grain_id = $g AND name = $n AND etag = $t";
        command.Parameters.AddWithValue("$sid", _serviceId);
        command.Parameters.AddWithValue("$g", grainId.ToString());
        command.Parameters.AddWithValue("$n", reminderName);
        command.Parameters.AddWithValue("$t", eTag);
        return command.ExecuteNonQuery() > 0;
    });

    public Task TestOnlyClearTable() => database.RunAsync(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM reminders WHERE service_id = $sid";
        command.Parameters.AddWithValue("$sid", _serviceId);
        return command.ExecuteNonQuery();
    });

    private Task<ReminderTableData> Query(string where, Action<SqliteCommand> bind) => database.RunAsync(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT grain_id, name, start_at, period, etag FROM reminders WHERE service_id = $sid AND {where}";
        command.Parameters.AddWithValue("$sid", _serviceId);
        bind(command);
        using var reader = command.ExecuteReader();
        var entries = new List<ReminderEntry>();
        while (reader.Read())
        {
            entries.Add(new ReminderEntry
            {
                GrainId = GrainId.Parse(reader.GetString(0)),
                ReminderName = reader.GetString(1),
                StartAt = new DateTime(reader.GetInt64(2), DateTimeKind.Utc),
                Period = TimeSpan.FromTicks(reader.GetInt64(3)),
                ETag = reader.GetString(4),
            });
        }
        return new ReminderTableData(entries);
    });
}
