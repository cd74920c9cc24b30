namespace Sweep.Pruning.Data;

/// <summary>
/// The content of one IDX file of unsigned bytes: its dimensions and its items, row-major.
/// </summary>
/// <param name="Path">The file the array was read from.</param>
/// <param name="Dimensions">Sizes from the header, the item count first.</param>
/// <param name="Data">All values, row-major, exactly the product of the dimensions long.</param>
public sealed record IdxArray(string Path, int[] Dimensions, byte[] Data)
{
    /// <summary>Number of items (the first dimension).</summary>
    public int Count => Dimensions[0];

    /// <summary>Values per item (the product of the remaining dimensions).</summary>
    public int ItemSize => Count == 0 ? 0 : Data.Length / Count;
}
