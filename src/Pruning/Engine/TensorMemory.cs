using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Sweep.Pruning.Engine;

/// <summary>
/// Direct access to a CPU tensor's elements for the hand-written kernels. The element accessor
/// (<c>tensor.data&lt;T&gt;()</c>) costs tens of nanoseconds per element; a span over the tensor's memory
/// costs nothing, and writes through it change the tensor.
/// </summary>
internal static class TensorMemory
{
    /// <summary>Whether <paramref name="tensor"/>'s elements can be reached in place: a contiguous CPU tensor of <paramref name="dtype"/>.</summary>
    public static bool IsDirect(Tensor tensor, ScalarType dtype = ScalarType.Float32) =>
        tensor.dtype == dtype && tensor.device_type == DeviceType.CPU && tensor.is_contiguous();

    /// <summary>The elements of a contiguous float32 CPU tensor, in place.</summary>
    public static Span<float> Floats(Tensor tensor) => Elements<float>(tensor, ScalarType.Float32);

    /// <summary>The elements of a contiguous tensor of element type <typeparamref name="T"/> (which must match its dtype), in place.</summary>
    public static Span<T> Elements<T>(Tensor tensor, ScalarType dtype)
        where T : unmanaged
    {
        if (!IsDirect(tensor, dtype))
        {
            throw new ArgumentException(
                $"Expected a contiguous {dtype} CPU tensor; got {tensor.dtype} on {tensor.device_type}{(tensor.is_contiguous() ? "" : ", not contiguous")}.", nameof(tensor));
        }
        return MemoryMarshal.Cast<byte, T>(tensor.bytes);
    }

    /// <summary>A copy of any tensor's elements as float32 (converted and made contiguous first when needed).</summary>
    public static float[] CopyFloats(Tensor tensor)
    {
        using var values = tensor.to_type(ScalarType.Float32).contiguous();
        return Floats(values).ToArray();
    }
}
