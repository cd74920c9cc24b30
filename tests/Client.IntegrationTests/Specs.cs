namespace Sweep.Client.IntegrationTests;

/// <summary>Spec files for the tests (dataset "mnist": the fake trainer needs no data).</summary>
public static class Specs
{
    public static string Write(string name, string grids, int epochs = 3)
    {
        var path = Path.Combine(Path.GetTempPath(), $"{name}-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, $"""
            name: {name}
            architecture: lenet300-100
            dataset: mnist
            epochs: {epochs}
            options: {"{"} train-limit: 1000 {"}"}
            grids:
            {grids}
            """);
        return path;
    }

    /// <summary>2 widths x 2 inits x 2 seeds, under each prior: the quick sweep's shape (16 trials).</summary>
    public const string QuickGrids = """
          flattening: { prior: [flattening], width: [1, 2], init: [kaiming-uniform, orthogonal], seed: [1, 2] }
          ablation: { prior: ["fixed:0.5"], width: [1, 2], init: [kaiming-uniform, orthogonal], seed: [1, 2] }
        """;
}
