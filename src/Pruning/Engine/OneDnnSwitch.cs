using System.Runtime.InteropServices;

namespace Sweep.Pruning.Engine;

/// <summary>
/// Turns libtorch's oneDNN (mkldnn) kernels off for the whole process, the equivalent of
/// PyTorch's torch.backends.mkldnn.enabled = False, which TorchSharp does not expose.
/// Convolutions then take libtorch's own im2col-plus-GEMM path. Unlike oneDNN's ISA choice,
/// this switch works after convolutions have already run.
/// </summary>
internal static class OneDnnSwitch
{
    private const string Library = "libtorch_cpu.so";

    public static bool IsEnabled => UserEnabledMkldnn(GlobalContext());

    public static void SetEnabled(bool enabled) => SetUserEnabledMkldnn(GlobalContext(), enabled);

    // at::globalContext() and at::Context's members, exported with C++ linkage by libtorch_cpu;
    // on x86-64 System V a member function takes `this` as its first argument.
    [DllImport(Library, EntryPoint = "_ZN2at13globalContextEv")]
    private static extern IntPtr GlobalContext();

    [DllImport(Library, EntryPoint = "_ZNK2at7Context17userEnabledMkldnnEv")]
    [return: MarshalAs(UnmanagedType.U1)]
    private static extern bool UserEnabledMkldnn(IntPtr context);

    [DllImport(Library, EntryPoint = "_ZN2at7Context20setUserEnabledMkldnnEb")]
    private static extern void SetUserEnabledMkldnn(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);
}
