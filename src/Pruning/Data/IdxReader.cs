using System.Buffers.Binary;
using System.IO.Compression;

namespace Sweep.Pruning.Data;

/// <summary>
/// Reads IDX files (the MNIST format), raw or gzip-compressed (by the ".gz" suffix). Only the
/// unsigned-byte element type (0x08) is supported. The header is validated against the expected
/// number of dimensions and the content length must match the dimensions exactly.
/// </summary>
public static class IdxReader
{
    /// <summary>Magic number of an image file: unsigned bytes, three dimensions (count, rows, columns).</summary>
    public const int ImagesMagic = 0x00000803;

    /// <summary>Magic number of a label file: unsigned bytes, one dimension (count).</summary>
    public const int LabelsMagic = 0x00000801;

    private const byte UnsignedByteType = 0x08;

    /// <summary>Reads an image file: dimensions [count, rows, columns].</summary>
    public static IdxArray ReadImages(string path) => Read(path, ImagesMagic);

    /// <summary>Reads a label file: dimensions [count].</summary>
    public static IdxArray ReadLabels(string path) => Read(path, LabelsMagic);

    /// <summary>Reads an IDX file of unsigned bytes whose header must carry <paramref name="expectedMagic"/>.</summary>
    public static IdxArray Read(string path, int expectedMagic)
    {
        if (!File.Exists(path))
        {
            throw new DatasetFormatException(path, "file not found.");
        }
        try
        {
            using var content = OpenContent(path);
            return Read(path, content, expectedMagic, IsGzip(path) ? null : new FileInfo(path).Length);
        }
        catch (InvalidDataException ex)
        {
            throw new DatasetFormatException(path, $"not a valid gzip stream ({ex.Message}).", ex);
        }
    }

    /// <summary>
    /// Reads the header, then the payload straight into its final array in one bulk read.
    /// <paramref name="knownLength"/> (raw files) lets length errors surface before any allocation.
    /// </summary>
    private static IdxArray Read(string path, Stream content, int expectedMagic, long? knownLength)
    {
        var dimensionCount = expectedMagic & 0xFF;
        var headerLength = 4 + (4 * dimensionCount);
        var header = new byte[headerLength];
        var headerRead = content.ReadAtLeast(header, headerLength, throwOnEndOfStream: false);

        if (headerRead < 4)
        {
            throw new DatasetFormatException(path,
                $"expected an IDX header starting with magic 0x{expectedMagic:X8} but the content is only {headerRead} bytes long.");
        }
        var magic = BinaryPrimitives.ReadInt32BigEndian(header);
        if (magic != expectedMagic)
        {
            throw new DatasetFormatException(path,
                $"expected magic number 0x{expectedMagic:X8} ({Describe(expectedMagic)}) but found 0x{magic:X8} ({Describe(magic)}).");
        }
        if (headerRead < headerLength)
        {
            throw new DatasetFormatException(path,
                $"truncated header: expected {headerLength} bytes for {dimensionCount} dimensions but the content is only {headerRead} bytes long.");
        }

        var dimensions = new int[dimensionCount];
        long itemBytes = 1;
        for (var i = 0; i < dimensionCount; i++)
        {
            var size = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4 * (i + 1)));
            if (size < 0 || (i > 0 && size == 0))
            {
                throw new DatasetFormatException(path,
                    $"dimension {i} is {size}; expected a positive size{(i == 0 ? " or zero items" : string.Empty)}.");
            }
            dimensions[i] = size;
            itemBytes *= size;
        }

        var expectedLength = headerLength + itemBytes;
        if (knownLength is { } length && length != expectedLength)
        {
            throw LengthMismatch(path, dimensions, headerLength, itemBytes, length);
        }
        if (itemBytes > Array.MaxLength)
        {
            throw new DatasetFormatException(path, $"dimensions [{string.Join(", ", dimensions)}] are too large to load.");
        }

        var data = GC.AllocateUninitializedArray<byte>((int)itemBytes);
        var dataRead = content.ReadAtLeast(data, data.Length, throwOnEndOfStream: false);
        if (dataRead < data.Length)
        {
            throw LengthMismatch(path, dimensions, headerLength, itemBytes, headerLength + dataRead);
        }
        var trailing = CountRemaining(content);
        if (trailing > 0)
        {
            throw LengthMismatch(path, dimensions, headerLength, itemBytes, expectedLength + trailing);
        }
        return new IdxArray(path, dimensions, data);
    }

    private static DatasetFormatException LengthMismatch(string path, int[] dimensions, int headerLength, long itemBytes, long actualLength)
    {
        var expectedLength = headerLength + itemBytes;
        var what = actualLength < expectedLength ? "truncated" : "trailing bytes";
        return new DatasetFormatException(path,
            $"{what}: dimensions [{string.Join(", ", dimensions)}] need {expectedLength} bytes ({headerLength} header + {itemBytes} data) but the content is {actualLength} bytes long.");
    }

    private static long CountRemaining(Stream content)
    {
        Span<byte> scratch = stackalloc byte[4096];
        long count = 0;
        int read;
        while ((read = content.Read(scratch)) > 0)
        {
            count += read;
        }
        return count;
    }

    /// <summary>Returns the uncompressed content of a raw or ".gz" file.</summary>
    public static byte[] ReadAllContent(string path)
    {
        if (!File.Exists(path))
        {
            throw new DatasetFormatException(path, "file not found.");
        }
        if (!IsGzip(path))
        {
            return File.ReadAllBytes(path);
        }
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            // Compressed IDX images shrink about 5x; start near the final size to avoid regrowth.
            using var content = new MemoryStream((int)Math.Min(Array.MaxLength, file.Length * 6));
            gzip.CopyTo(content, 1 << 16);
            return content.Length == content.Capacity ? content.GetBuffer() : content.ToArray();
        }
        catch (InvalidDataException ex)
        {
            throw new DatasetFormatException(path, $"not a valid gzip stream ({ex.Message}).", ex);
        }
    }

    /// <summary>Opens a raw or ".gz" file as a stream of its uncompressed content.</summary>
    public static Stream OpenContent(string path)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return IsGzip(path) ? new GZipStream(file, CompressionMode.Decompress) : file;
    }

    /// <summary>Whether the file is gzip-compressed (named *.gz).</summary>
    public static bool IsGzip(string path) => path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);

    private static string Describe(int magic)
    {
        var type = (magic >> 8) & 0xFF;
        var dims = magic & 0xFF;
        if ((magic >>> 16) != 0)
        {
            return "not an IDX header";
        }
        var typeName = type switch
        {
            UnsignedByteType => "unsigned byte",
            0x09 => "signed byte",
            0x0B => "int16",
            0x0C => "int32",
            0x0D => "float32",
            0x0E => "float64",
            _ => $"unknown type 0x{type:X2}",
        };
        return $"{typeName}, {dims} dimension{(dims == 1 ? string.Empty : "s")}";
    }
}
