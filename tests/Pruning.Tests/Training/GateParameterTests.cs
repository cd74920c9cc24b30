using Sweep.Options;
using Sweep.Pruning.Training;
using static TorchSharp.torch;

namespace Sweep.Pruning.Tests.Training;

public class GateParameterTests
{
    [Fact]
    public void Theta_stays_in_the_unit_interval_and_pruned_groups_never_come_back()
    {
        var data = SyntheticData.Prototypes(train: 128, test: 16, size: 4, classes: 4, seed: 41);
        // Large theta steps push gates against both bounds; cost 0.02 prunes some of them.
        var options = new TrialOptions { Width = 0.1, BatchSize = 32, ThetaLearningRate = 20, ParameterCost = 0.02, LearningRate = 0.01, Seed = 2, Sigma1 = 1 };
        using var session = new TrainingSession(options, data, null, default);
        var (images, labels, _, _) = data.Tensors;
        var gated = session.Network.GatedIndices.ToArray();
        // Original identity of each physical group, per gated layer.
        var ids = gated.Select(i => Enumerable.Range(0, session.Network.Layers[i].Width).ToList()).ToArray();
        var pruned = gated.Select(_ => new HashSet<int>()).ToArray();
        var sawBoth = (Zero: false, One: false, Between: false);
        for (var step = 0; step < 60; step++)
        {
            using (var scope = NewDisposeScope())
            {
                var start = step % 4 * 32;
                session.TrainStep(images.narrow(0, start, 32), labels.narrow(0, start, 32));
            }
            session.AdvanceStep();
            for (var k = 0; k < gated.Length; k++)
            {
                var layer = session.Network.Layers[gated[k]];
                var theta = layer.Theta!.data<float>().ToArray();
                var alive = layer.Alive!.data<float>().ToArray();
                for (var g = 0; g < theta.Length; g++)
                {
                    Assert.InRange(theta[g], 0f, 1f);
                    sawBoth = (sawBoth.Zero || theta[g] == 0, sawBoth.One || theta[g] == 1, sawBoth.Between || theta[g] is > 0 and < 1);
                    if (pruned[k].Contains(ids[k][g]))
                    {
                        Assert.Equal(0f, alive[g]);
                        Assert.Equal(0f, theta[g]);
                    }
                    if (alive[g] == 0)
                    {
                        Assert.Equal(0f, theta[g]);
                        pruned[k].Add(ids[k][g]);
                    }
                }
            }
            if (step % 10 == 9)
            {
                session.Compact();
                for (var k = 0; k < gated.Length; k++)
                {
                    ids[k].RemoveAll(pruned[k].Contains);
                    Assert.Equal(ids[k].Count, session.Network.Layers[gated[k]].Width);
                }
            }
        }
        Assert.True(sawBoth.Zero && sawBoth.One && sawBoth.Between, "the run should exercise both bounds and the interior");
        Assert.Contains(pruned, p => p.Count > 0);
    }
}
