namespace Sweep.Pruning.Models;

/// <summary>Compaction found a layer with no group left: every gate of <see cref="LayerName"/> reached 0.</summary>
public sealed class LayerCollapsedException : Exception
{
    public LayerCollapsedException(string layerName)
        : base($"Layer {layerName} lost its last unit: every gate reached 0.") => LayerName = layerName;

    public LayerCollapsedException() : this("?") { }

    public LayerCollapsedException(string message, Exception inner) : base(message, inner) => LayerName = "?";

    /// <summary>The layer that lost its last group.</summary>
    public string LayerName { get; }
}
