using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using static TorchSharp.torch;

namespace Sweep.Pruning.Training;

/// <summary>Where a trial stands, apart from its tensors: what a checkpoint must restore besides weights and state.</summary>
internal sealed class CheckpointHeader
{
    public int Format { get; set; } = CheckpointCodec.FormatVersion;
    public Dictionary<string, string> Settings { get; set; } = [];
    public int Epoch { get; set; }
    public long Step { get; set; }
    public long OptimizerSteps { get; set; }
    public double TrainFlops { get; set; }
    public double WallSeconds { get; set; }
    public List<EpochProgress> Epochs { get; set; } = [];
    public List<int[]> EpochWidths { get; set; } = [];
    public List<int[]> EpochDeterministicWidths { get; set; } = [];
    public List<FlopsChange> FlopsTimeline { get; set; } = [];
    public List<TensorEntry> Tensors { get; set; } = [];
}

internal sealed record TensorEntry(string Name, long[] Shape);

/// <summary>
/// The checkpoint payload: "SWEEPCK1", a little-endian int32 length, a UTF-8 JSON header, then the
/// raw float32 bytes of every tensor in the header's order. Exact: bytes in, same bytes out.
/// </summary>
internal static class CheckpointCodec
{
    public const int FormatVersion = 1;
    private static readonly byte[] Magic = "SWEEPCK1"u8.ToArray();

    private static readonly JsonSerializerOptions Json = new()
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private static (CheckpointHeader Header, int Length) ReadHeader(byte[] payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        if (payload.Length < 12 || !payload.AsSpan(0, 8).SequenceEqual(Magic))
        {
            throw new TrainingFailedException("bad-checkpoint", "The checkpoint payload is not a Sweep training checkpoint.");
        }
        var length = BinaryPrimitives.ReadInt32LittleEndian(payload.AsSpan(8, 4));
        if (length <= 0 || 12 + length > payload.Length)
        {
            throw new TrainingFailedException("bad-checkpoint", "The checkpoint header is truncated.");
        }
        CheckpointHeader? header;
        try
        {
            header = JsonSerializer.Deserialize<CheckpointHeader>(payload.AsSpan(12, length), Json);
        }
        catch (JsonException ex)
        {
            throw new TrainingFailedException("bad-checkpoint", $"The checkpoint header is not valid: {ex.Message}");
        }
        if (header is null)
        {
            throw new TrainingFailedException("bad-checkpoint", "The checkpoint header is empty.");
        }
        if (header.Format != FormatVersion)
        {
            throw new TrainingFailedException("bad-checkpoint", $"Checkpoint format {header.Format} is not supported (expected {FormatVersion}).");
        }
        return (header, length);
    }

    public static byte[] Encode(CheckpointHeader header, IReadOnlyList<(string Name, Tensor Tensor)> tensors)
    {
        header.Tensors = tensors.Select(t => new TensorEntry(t.Name, t.Tensor.shape)).ToList();
        var json = JsonSerializer.SerializeToUtf8Bytes(header, Json);
        using var stream = new MemoryStream();
        stream.Write(Magic);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, json.Length);
        stream.Write(length);
        stream.Write(json);
        foreach (var (name, t) in tensors)
        {
            if (t.dtype != ScalarType.Float32)
            {
                throw new InvalidOperationException($"Checkpoint tensor {name} is {t.dtype}; only float32 is stored.");
            }
            using var contiguous = t.detach().contiguous();
            stream.Write(contiguous.bytes);
        }
        return stream.ToArray();
    }

    /// <summary>The header alone (no tensors are read).</summary>
    public static CheckpointHeader DecodeHeader(byte[] payload) => ReadHeader(payload).Header;

    public static (CheckpointHeader Header, Dictionary<string, Tensor> Tensors) Decode(byte[] payload)
    {
        var (header, length) = ReadHeader(payload);
        var offset = 12 + length;
        var tensors = new Dictionary<string, Tensor>();
        foreach (var entry in header.Tensors)
        {
            var count = entry.Shape.Aggregate(1L, (a, b) => a * b);
            var bytes = checked((int)(count * sizeof(float)));
            if (offset + bytes > payload.Length)
            {
                throw new TrainingFailedException("bad-checkpoint", $"The checkpoint is truncated at tensor {entry.Name}.");
            }
            var t = empty(entry.Shape, dtype: ScalarType.Float32).DetachFromDisposeScope();
            t.bytes = payload.AsSpan(offset, bytes);
            tensors[entry.Name] = t;
            offset += bytes;
        }
        return (header, tensors);
    }
}
