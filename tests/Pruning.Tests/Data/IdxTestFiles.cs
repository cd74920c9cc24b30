using System.Buffers.Binary;
using System.IO.Compression;
using Sweep.Pruning.Data;

namespace Sweep.Pruning.Tests.Data;

/// <summary>Writes small IDX files into a temporary directory that is deleted on dispose.</summary>
internal sealed class IdxTestFiles : IDisposable
{
    public IdxTestFiles()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("sweep-idx-test-").FullName;
    }

    public string Directory { get; }

    public string PathOf(string name) => Path.Combine(Directory, name);

    public string Subdirectory(string name) => System.IO.Directory.CreateDirectory(PathOf(name)).FullName;

    /// <summary>IDX bytes: magic, big-endian dimensions, then the data as given.</summary>
    public static byte[] Idx(int magic, int[] dimensions, byte[] data)
    {
        var bytes = new byte[4 + (4 * dimensions.Length) + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        for (var i = 0; i < dimensions.Length; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + (4 * i)), dimensions[i]);
        }
        data.CopyTo(bytes.AsSpan(4 + (4 * dimensions.Length)));
        return bytes;
    }

    public static byte[] Images(int count, int rows, int columns, int seed = 0) =>
        Idx(IdxReader.ImagesMagic, [count, rows, columns], Pattern(count * rows * columns, seed));

    public static byte[] Labels(params byte[] labels) => Idx(IdxReader.LabelsMagic, [labels.Length], labels);

    /// <summary>Deterministic bytes covering 0 and 255.</summary>
    public static byte[] Pattern(int length, int seed = 0) =>
        Enumerable.Range(0, length).Select(i => (byte)(((i * 37) + seed) % 256)).ToArray();

    public string Write(string name, byte[] content, bool gzip = false, string? subdirectory = null)
    {
        var directory = subdirectory is null ? Directory : Subdirectory(subdirectory);
        var path = Path.Combine(directory, gzip ? name + ".gz" : name);
        if (gzip)
        {
            using var file = File.Create(path);
            using var compressor = new GZipStream(file, CompressionLevel.Fastest);
            compressor.Write(content);
        }
        else
        {
            File.WriteAllBytes(path, content);
        }
        return path;
    }

    /// <summary>Writes a valid four-file dataset (3 train, 2 test images of 2x3) and returns its directory.</summary>
    public string WriteValidDataset(string? subdirectory = null, bool gzip = false)
    {
        Write(DatasetFiles.TrainImages, Images(3, 2, 3, seed: 1), gzip, subdirectory);
        Write(DatasetFiles.TrainLabels, Labels(0, 4, 2), gzip, subdirectory);
        Write(DatasetFiles.TestImages, Images(2, 2, 3, seed: 7), gzip, subdirectory);
        Write(DatasetFiles.TestLabels, Labels(1, 3), gzip, subdirectory);
        return subdirectory is null ? Directory : PathOf(subdirectory);
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }
}
