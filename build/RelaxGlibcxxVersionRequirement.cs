// MSBuild inline task (compiled by RoslynCodeTaskFactory): marks one ELF version requirement weak
// in copies of a native library, when the host's libstdc++ does not provide that version.
// See TorchSharpNative.targets for why.
using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public class RelaxGlibcxxVersionRequirement : Task
{
    const uint ShtGnuVerneed = 0x6ffffffe;
    const ushort VerFlgWeak = 0x2;

    [Required] public ITaskItem[] Files { get; set; }
    [Required] public string VersionName { get; set; }

    static readonly string[] LibStdCxxCandidates =
    {
        "/usr/lib/x86_64-linux-gnu/libstdc++.so.6",
        "/lib/x86_64-linux-gnu/libstdc++.so.6",
        "/usr/lib/aarch64-linux-gnu/libstdc++.so.6",
        "/usr/lib64/libstdc++.so.6",
        "/usr/lib/libstdc++.so.6",
    };

    public override bool Execute()
    {
        string hostLib = FindHostLibStdCxx();
        if (hostLib == null)
        {
            Log.LogMessage(MessageImportance.Low, "Sweep: no libstdc++.so.6 found; leaving libLibTorchSharp.so as shipped.");
            return true;
        }
        if (Contains(File.ReadAllBytes(hostLib), Encoding.ASCII.GetBytes(VersionName + "\0")))
        {
            Log.LogMessage(MessageImportance.Low, "Sweep: " + hostLib + " provides " + VersionName + "; no patch needed.");
            return true;
        }
        foreach (ITaskItem item in Files)
        {
            string path = item.GetMetadata("FullPath");
            try
            {
                PatchFile(path, hostLib);
            }
            catch (InvalidDataException e)
            {
                Log.LogError("Sweep: cannot make " + path + " load on this system: " + e.Message +
                             " The file's layout is not what this fix expects (TorchSharp-cpu 0.107.0); see README, Troubleshooting.");
            }
        }
        return !Log.HasLoggedErrors;
    }

    void PatchFile(string path, string hostLib)
    {
        byte[] elf = File.ReadAllBytes(path);
        int flagsOffset = FindVernauxFlagsOffset(elf, VersionName);
        if (flagsOffset < 0)
        {
            Log.LogMessage(MessageImportance.Low, "Sweep: " + path + " does not require " + VersionName + ".");
            return;
        }
        ushort flags = BitConverter.ToUInt16(elf, flagsOffset);
        if ((flags & VerFlgWeak) != 0)
        {
            return; // already patched
        }
        byte[] weak = BitConverter.GetBytes((ushort)(flags | VerFlgWeak));
        elf[flagsOffset] = weak[0];
        elf[flagsOffset + 1] = weak[1];

        // Write a new file and move it over the copy: never write through a hard link into the package cache.
        DateTime stamp = File.GetLastWriteTimeUtc(path);
        string temp = path + ".sweep-patch.tmp";
        File.WriteAllBytes(temp, elf);
        File.SetLastWriteTimeUtc(temp, stamp);
        File.Delete(path);
        File.Move(temp, path);
        Log.LogMessage(MessageImportance.High,
            "Sweep: marked " + VersionName + " weak in " + path + " because " + hostLib +
            " lacks it (only std::ios_base_library_init needs it; no relocation uses it).");
    }

    // Returns the file offset of vna_flags of the Vernaux entry named `name`, or -1 when absent.
    static int FindVernauxFlagsOffset(byte[] elf, string name)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            throw new InvalidDataException("not an ELF file.");
        if (elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException("not a 64-bit little-endian ELF file.");
        long shoff = (long)BitConverter.ToUInt64(elf, 0x28);
        int shentsize = BitConverter.ToUInt16(elf, 0x3A);
        int shnum = BitConverter.ToUInt16(elf, 0x3C);
        if (shentsize != 64 || shoff <= 0 || shoff + (long)shnum * shentsize > elf.Length)
            throw new InvalidDataException("section header table out of range.");

        for (int i = 0; i < shnum; i++)
        {
            int sh = checked((int)(shoff + (long)i * shentsize));
            if (BitConverter.ToUInt32(elf, sh + 4) != ShtGnuVerneed) continue;
            long offset = (long)BitConverter.ToUInt64(elf, sh + 0x18);
            long size = (long)BitConverter.ToUInt64(elf, sh + 0x20);
            int link = (int)BitConverter.ToUInt32(elf, sh + 0x28);
            int count = (int)BitConverter.ToUInt32(elf, sh + 0x2C);
            if (offset + size > elf.Length || link >= shnum)
                throw new InvalidDataException(".gnu.version_r section out of range.");
            int strtab = checked((int)(shoff + (long)link * shentsize));
            long strOffset = (long)BitConverter.ToUInt64(elf, strtab + 0x18);
            long strSize = (long)BitConverter.ToUInt64(elf, strtab + 0x20);

            long vn = offset;
            for (int n = 0; n < count; n++)
            {
                if (vn + 16 > offset + size) throw new InvalidDataException("Verneed entry out of range.");
                int auxCount = BitConverter.ToUInt16(elf, (int)vn + 2);
                long aux = vn + BitConverter.ToUInt32(elf, (int)vn + 8);
                for (int a = 0; a < auxCount; a++)
                {
                    if (aux + 16 > offset + size) throw new InvalidDataException("Vernaux entry out of range.");
                    uint nameOffset = BitConverter.ToUInt32(elf, (int)aux + 8);
                    if (nameOffset >= strSize) throw new InvalidDataException("version name out of range.");
                    if (ReadCString(elf, strOffset + nameOffset) == name) return (int)aux + 4;
                    aux += BitConverter.ToUInt32(elf, (int)aux + 12);
                }
                uint next = BitConverter.ToUInt32(elf, (int)vn + 12);
                if (next == 0) break;
                vn += next;
            }
            return -1;
        }
        throw new InvalidDataException("no .gnu.version_r section.");
    }

    static string ReadCString(byte[] data, long start)
    {
        long end = start;
        while (end < data.Length && data[end] != 0) end++;
        return Encoding.ASCII.GetString(data, (int)start, (int)(end - start));
    }

    static string FindHostLibStdCxx()
    {
        string ldPath = Environment.GetEnvironmentVariable("LD_LIBRARY_PATH") ?? "";
        foreach (string dir in ldPath.Split(new[] { ':' }, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, "libstdc++.so.6");
            if (File.Exists(candidate)) return candidate;
        }
        foreach (string candidate in LibStdCxxCandidates)
        {
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    static bool Contains(byte[] haystack, byte[] needle)
    {
        for (int i = 0; i + needle.Length <= haystack.Length; i++)
        {
            int j = 0;
            while (j < needle.Length && haystack[i + j] == needle[j]) j++;
            if (j == needle.Length) return true;
        }
        return false;
    }
}
