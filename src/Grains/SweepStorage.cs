namespace Sweep.Grains;

/// <summary>Names of the providers the grains use; the silo host registers providers under these names.</summary>
public static class SweepStorage
{
    /// <summary>Grain storage of sweeps, trials, checkpoints and the sweep registry.</summary>
    public const string Name = "sweep";
}
