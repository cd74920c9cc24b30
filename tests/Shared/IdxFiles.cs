using System.Buffers.Binary;

namespace Sweep.Tests.Shared;

/// <summary>Shared by the test projects that run real trials (linked into each): a small generated IDX dataset (28x28 images, 10 classes): each class is a bright bar at its own place, plus noise.</summary>
public static class IdxFiles
{
    public static string Write(string directory, int train, int test, int seed = 1)
    {
        Directory.CreateDirectory(directory);
        var random = new Random(seed);
        WriteSplit(directory, "train", train, random);
        WriteSplit(directory, "t10k", test, random);
        return directory;
    }

    private static void WriteSplit(string directory, string prefix, int count, Random random)
    {
        const int side = 28;
        var images = new byte[16 + count * side * side];
        var labels = new byte[8 + count];
        BinaryPrimitives.WriteInt32BigEndian(images, 0x00000803);
        BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(4), count);
        BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(8), side);
        BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(12), side);
        BinaryPrimitives.WriteInt32BigEndian(labels, 0x00000801);
        BinaryPrimitives.WriteInt32BigEndian(labels.AsSpan(4), count);
        for (var n = 0; n < count; n++)
        {
            var label = random.Next(10);
            labels[8 + n] = (byte)label;
            var image = images.AsSpan(16 + n * side * side, side * side);
            for (var p = 0; p < image.Length; p++)
            {
                image[p] = (byte)random.Next(40);
            }
            var row = 2 + label * 2 + random.Next(2);
            for (var column = 4; column < 24; column++)
            {
                image[row * side + column] = (byte)(200 + random.Next(56));
            }
        }
        File.WriteAllBytes(Path.Combine(directory, $"{prefix}-images-idx3-ubyte"), images);
        File.WriteAllBytes(Path.Combine(directory, $"{prefix}-labels-idx1-ubyte"), labels);
    }
}
