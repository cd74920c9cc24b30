using System.Globalization;
using Microsoft.Data.Sqlite;
using Orleans.Storage;

namespace Sweep.Silo.Embedded;

/// <summary>Grain storage in the embedded silo's SQLite file, with optimistic concurrency (ETags).</summary>
public sealed class SqliteGrainStorage(string name, SqliteStateDatabase database, IGrainStorageSerializer serializer) : IGrainStorage
{
    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var row = await database.RunAsync(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT etag, data FROM grain_state WHERE provider = $p AND grain_id = $g AND state_name = $s";
            Bind(command, stateName, grainId);
            using var reader = command.ExecuteReader();
            return reader.Read() ? (reader.GetInt64(0), (byte[])reader.GetValue(1)) : ((long ETag, byte[] Data)?)null;
        });
        if (row is not { } found)
        {
            grainState.ETag = null;
            grainState.RecordExists = false;
            return;
        }
        grainState.State = serializer.Deserialize<T>(new BinaryData(found.Data))!;
        grainState.ETag = found.ETag.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var data = serializer.Serialize(grainState.State).ToArray();
        var expected = grainState.ETag is null ? (long?)null : long.Parse(grainState.ETag, CultureInfo.InvariantCulture);
        var written = await database.RunAsync(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = expected is null
                ? "INSERT INTO grain_state (provider, grain_id, state_name, etag, data, updated_at) VALUES ($p, $g, $s, 1, $d, $u) ON CONFLICT DO NOTHING"
                : "UPDATE grain_state SET etag = etag + 1, data = $d, updated_at = $u WHERE provider = $p AND grain_id = $g AND state_name = $s AND etag = $e";
            Bind(command, stateName, grainId);
            command.Parameters.AddWithValue("$d", data);
            command.Parameters.AddWithValue("$u", DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture));
            if (expected is { } etag)
            {
                command.Parameters.AddWithValue("$e", etag);
            }
            return command.ExecuteNonQuery();
        });
        if (written == 0)
        {
            throw new InconsistentStateException(
                $"Grain storage '{name}': {grainId} state '{stateName}' was written by someone else (expected version {grainState.ETag ?? "none"}).",
                "(changed)", grainState.ETag ?? "(none)");
        }
        grainState.ETag = ((expected ?? 0) + 1).ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var expected = grainState.ETag is null ? (long?)null : long.Parse(grainState.ETag, CultureInfo.InvariantCulture);
        var deleted = await database.RunAsync(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "DELETE FROM grain_state WHERE provider = $p AND grain_id = $g AND state_name = $s AND etag = $e";
            Bind(command, stateName, grainId);
            command.Parameters.AddWithValue("$e", expected ?? -1);
            return command.ExecuteNonQuery();
        });
        if (expected is not null && deleted == 0)
        {
            throw new InconsistentStateException(
                $"Grain storage '{name}': {grainId} state '{stateName}' was written by someone else before it could be cleared.",
                "(changed)", grainState.ETag!);
        }
        grainState.ETag = null;
        grainState.RecordExists = false;
        grainState.State = Activator.CreateInstance<T>();
    }

    private void Bind(SqliteCommand command, string stateName, GrainId grainId)
    {
        command.Parameters.AddWithValue("$p", name);
        command.Parameters.AddWithValue("$g", grainId.ToString());
        command.Parameters.AddWithValue("$s", stateName);
    }
}
