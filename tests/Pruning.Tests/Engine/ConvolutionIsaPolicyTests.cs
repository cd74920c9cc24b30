using System.Text.Json;
using Sweep.Pruning.Engine;

namespace Sweep.Pruning.Tests.Engine;

public sealed class ConvolutionIsaPolicyTests : IDisposable
{
    private const string Version = "0.107.0+test";
    private static readonly CpuSignature Epyc = CpuSignature.FromCpuInfo("processor\t: 0\nmodel name\t: AMD EPYC 9654\nflags\t\t: fpu sse4_1 avx2 avx512f\n");
    private static readonly CpuSignature EpycWithoutAvx512 = CpuSignature.FromCpuInfo("processor\t: 0\nmodel name\t: AMD EPYC 9654\nflags\t\t: fpu sse4_1 avx2\n");

    private static readonly JsonSerializerOptions NamedNumbers = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"sweep-verdicts-{Guid.NewGuid():N}");
    private readonly ConvolutionVerdictCache _cache;
    private int _checks;

    public ConvolutionIsaPolicyTests() => _cache = new ConvolutionVerdictCache(_directory);

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private Func<ConvolutionCheckOutcome> Child(bool passed) => () =>
    {
        _checks++;
        return new ConvolutionCheckOutcome(Report(passed), null);
    };

    private static ConvolutionCheckReport Report(bool passed) => new("oneDNN uncapped", passed, 1.5,
    [
        new ConvolutionShapeError("conv1 width 1", 2e-7, 5e-7, 8e-6, true),
        new ConvolutionShapeError("conv2 width 4", passed ? 3e-7 : 0.14, passed ? 4e-7 : double.NaN, 9e-6, passed),
    ]);

    [Fact]
    public void A_passing_verdict_lifts_the_cap_and_is_cached_for_the_same_cpu_and_version()
    {
        var first = ConvolutionIsaPolicy.Decide(_cache, Epyc, Version, Child(passed: true));
        var second = ConvolutionIsaPolicy.Decide(_cache, Epyc, Version, Child(passed: true));

        Assert.Equal(1, _checks);
        Assert.Null(first.Cap);
        Assert.True(first.SetByProcess);
        Assert.Null(second.Cap);
        Assert.False(second.Pending);
        Assert.Contains("cached in", second.Status, StringComparison.Ordinal);
        Assert.True(File.Exists(_cache.PathFor(Epyc, Version)));
    }

    [Fact]
    public void A_different_cpu_signature_or_version_is_checked_again()
    {
        ConvolutionIsaPolicy.Decide(_cache, Epyc, Version, Child(passed: true));
        var otherCpu = ConvolutionIsaPolicy.Decide(_cache, EpycWithoutAvx512, Version, Child(passed: false));
        var otherVersion = ConvolutionIsaPolicy.Decide(_cache, Epyc, "0.108.0", Child(passed: false));

        Assert.Equal(3, _checks);
        Assert.NotEqual(Epyc.Hash, EpycWithoutAvx512.Hash);
        Assert.Equal(EngineSetup.SafeIsa, otherCpu.Cap);
        Assert.Equal(EngineSetup.SafeIsa, otherVersion.Cap);
        // The first machine's verdict is untouched by the others.
        Assert.Null(ConvolutionIsaPolicy.FromCache(_cache, Epyc, Version).Cap);
    }

    [Fact]
    public void A_failing_verdict_keeps_the_cap_and_is_not_checked_again()
    {
        var failed = ConvolutionIsaPolicy.Decide(_cache, Epyc, Version, Child(passed: false));
        var cached = ConvolutionIsaPolicy.Decide(_cache, Epyc, Version, Child(passed: true));

        Assert.Equal(1, _checks);
        Assert.Equal(EngineSetup.SafeIsa, failed.Cap);
        Assert.Equal(EngineSetup.SafeIsa, cached.Cap);
        Assert.False(cached.Pending);
        Assert.Contains("failed the per-machine check", cached.Status, StringComparison.Ordinal);
        Assert.Contains("conv2 width 4", cached.Status, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{ not json")]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("{\"CpuHash\":\"0000\",\"Passed\":true}")]
    public void A_corrupt_or_foreign_cache_file_is_checked_again_not_trusted(string content)
    {
        Directory.CreateDirectory(_directory);
        File.WriteAllText(_cache.PathFor(Epyc, Version), content);

        var pending = ConvolutionIsaPolicy.FromCache(_cache, Epyc, Version);
        var decision = ConvolutionIsaPolicy.Decide(_cache, Epyc, Version, Child(passed: false));

        Assert.True(pending.Pending);
        Assert.Equal(EngineSetup.SafeIsa, pending.Cap);
        Assert.Equal(1, _checks);
        Assert.Equal(EngineSetup.SafeIsa, decision.Cap);
        var rewritten = JsonSerializer.Deserialize<ConvolutionVerdict>(File.ReadAllText(_cache.PathFor(Epyc, Version)), NamedNumbers);
        Assert.NotNull(rewritten);
        Assert.False(rewritten.Passed);
        Assert.Equal(Epyc.Hash, rewritten.CpuHash);
    }

    [Fact]
    public void A_cached_pass_for_another_cpu_is_not_trusted_even_under_this_cpus_file_name()
    {
        ConvolutionIsaPolicy.Decide(_cache, EpycWithoutAvx512, Version, Child(passed: true));
        File.Copy(_cache.PathFor(EpycWithoutAvx512, Version), _cache.PathFor(Epyc, Version));

        var decision = ConvolutionIsaPolicy.FromCache(_cache, Epyc, Version);

        Assert.True(decision.Pending);
        Assert.Equal(EngineSetup.SafeIsa, decision.Cap);
    }

    [Fact]
    public void A_check_that_cannot_run_keeps_the_cap_and_caches_nothing()
    {
        var decision = ConvolutionIsaPolicy.Decide(_cache, Epyc, Version, () => new ConvolutionCheckOutcome(null, "dotnet not found"));

        Assert.Equal(EngineSetup.SafeIsa, decision.Cap);
        Assert.False(decision.Pending);
        Assert.Contains("dotnet not found", decision.Status, StringComparison.Ordinal);
        Assert.False(File.Exists(_cache.PathFor(Epyc, Version)));
        Assert.True(ConvolutionIsaPolicy.FromCache(_cache, Epyc, Version).Pending);
    }

    [Fact]
    public void Environment_overrides_come_before_any_verdict()
    {
        var user = ConvolutionIsaPolicy.FromEnvironment("AVX2", applied: null, sweepIsa: "default");
        var lifted = ConvolutionIsaPolicy.FromEnvironment(null, null, "default");
        var capped = ConvolutionIsaPolicy.FromEnvironment(null, null, "AVX2");
        // ONEDNN_MAX_CPU_ISA inherited from a Sweep process (it matches SWEEP_CONV_ISA_APPLIED) is not the user's choice.
        var inherited = ConvolutionIsaPolicy.FromEnvironment("SSE41", applied: "SSE41", sweepIsa: null);

        Assert.NotNull(user);
        Assert.Equal("AVX2", user.Cap);
        Assert.False(user.SetByProcess);
        Assert.NotNull(lifted);
        Assert.Null(lifted.Cap);
        Assert.NotNull(capped);
        Assert.Equal("AVX2", capped.Cap);
        Assert.Null(inherited);
        Assert.Null(ConvolutionIsaPolicy.FromEnvironment(null, null, null));
    }
}
