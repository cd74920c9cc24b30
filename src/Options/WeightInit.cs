namespace Sweep.Options;

/// <summary>How a trial's weights are initialized (option `init`).</summary>
public enum WeightInit
{
    KaimingUniform,
    KaimingNormal,
    XavierUniform,
    XavierNormal,
    Orthogonal,
    Normal01,
}
