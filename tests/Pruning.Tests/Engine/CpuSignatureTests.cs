using Sweep.Pruning.Engine;

namespace Sweep.Pruning.Tests.Engine;

public class CpuSignatureTests
{
    private const string TwoProcessors =
        "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC 9654 96-Core Processor\nflags\t\t: fpu sse4_1 avx2 avx512f\n\n" +
        "processor\t: 1\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC 9654 96-Core Processor\nflags\t\t: fpu sse4_1 avx2 avx512f\n\n";

    [Fact]
    public void The_signature_is_the_first_processors_model_and_flags_hashed()
    {
        var signature = CpuSignature.FromCpuInfo(TwoProcessors);
        var firstOnly = CpuSignature.FromCpuInfo(TwoProcessors[..TwoProcessors.IndexOf("\n\n", StringComparison.Ordinal)]);

        Assert.Equal("AMD EPYC 9654 96-Core Processor", signature.ModelName);
        Assert.Equal(16, signature.Hash.Length);
        Assert.Equal(signature, firstOnly);
        Assert.NotEqual(signature.Hash, CpuSignature.FromCpuInfo(TwoProcessors.Replace(" avx512f", "", StringComparison.Ordinal)).Hash);
        Assert.NotEqual(signature.Hash, CpuSignature.FromCpuInfo(TwoProcessors.Replace("9654", "7763", StringComparison.Ordinal)).Hash);
    }

    [Fact]
    public void A_description_without_model_or_flags_is_rejected()
    {
        var ex = Assert.Throws<FormatException>(() => CpuSignature.FromCpuInfo("processor\t: 0\nvendor_id\t: x\n"));
        Assert.Contains("model name", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void This_machine_has_a_signature()
    {
        Assert.Matches("^[0-9a-f]{16}$", CpuSignature.Current.Hash);
        Assert.False(string.IsNullOrWhiteSpace(CpuSignature.Current.ModelName));
    }
}
