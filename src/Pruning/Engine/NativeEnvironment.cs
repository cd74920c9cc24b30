using System.Runtime.InteropServices;

namespace Sweep.Pruning.Engine;

/// <summary>
/// Sets variables in the process's native environment. .NET's Environment.SetEnvironmentVariable
/// only updates a managed copy on Linux, which native libraries such as oneDNN never see.
/// </summary>
internal static partial class NativeEnvironment
{
    public static void Set(string name, string value)
    {
        Environment.SetEnvironmentVariable(name, value);
        if (OperatingSystem.IsWindows())
        {
            return; // the managed call already reaches the native environment there
        }
        if (SetEnv(name, value, 1) != 0)
        {
            throw new InvalidOperationException($"setenv({name}) failed with errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    public static void Unset(string name)
    {
        Environment.SetEnvironmentVariable(name, null);
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        if (UnsetEnv(name) != 0)
        {
            throw new InvalidOperationException($"unsetenv({name}) failed with errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    [LibraryImport("libc", EntryPoint = "unsetenv", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int UnsetEnv(string name);

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int SetEnv(string name, string value, int overwrite);
}
