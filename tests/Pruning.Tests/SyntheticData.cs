using Sweep.Pruning.Training;

namespace Sweep.Pruning.Tests;

/// <summary>Small generated classification tasks for CI-fast tests.</summary>
internal static class SyntheticData
{
    /// <summary>
    /// Images of <paramref name="size"/> x <paramref name="size"/> pixels in [0, 1]: each class a random
    /// prototype, each example its class's prototype plus uniform noise of amplitude <paramref name="noise"/>.
    /// </summary>
    public static TrainingData Prototypes(int train, int test, int size, int classes, int seed, double noise = 0.5)
    {
        var random = new Random(seed);
        var features = size * size;
        var prototypes = new float[classes][];
        for (var c = 0; c < classes; c++)
        {
            prototypes[c] = Enumerable.Range(0, features).Select(_ => (float)random.NextDouble()).ToArray();
        }
        (float[] X, long[] Y) Make(int n)
        {
            var x = new float[n * features];
            var y = new long[n];
            for (var i = 0; i < n; i++)
            {
                var c = random.Next(classes);
                y[i] = c;
                for (var f = 0; f < features; f++)
                {
                    var v = prototypes[c][f] * (1 - noise) + noise * random.NextDouble();
                    x[i * features + f] = (float)v;
                }
            }
            return (x, y);
        }
        var (trainX, trainY) = Make(train);
        var (testX, testY) = Make(test);
        return new TrainingData(trainX, trainY, testX, testY, size, size, classes);
    }
}
