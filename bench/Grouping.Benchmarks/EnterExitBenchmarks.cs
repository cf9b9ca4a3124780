using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;

namespace TrackingProfiler.Grouping.Benchmarks;

/// <summary>
/// An enter/exit pair next to a bare AsyncLocal set/restore (the floor any flowing context pays), under each
/// <see cref="ListeningConfiguration"/>. Contract v2 writes no event per change, so the listening configurations
/// measure the handler's accounting and activity-id work, not event writes.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[MinColumn]
[MaxColumn]
public class EnterExitBenchmarks
{
    internal static readonly AllocationGroupToken Token = AllocationGroupToken.Register("bench");
    private static readonly AsyncLocal<object?> s_bare = new();
    private static readonly AsyncLocal<object?> s_bareWithHandler = new(static _ => { });
    private static readonly object s_value = new();

    private ListeningConfiguration? _configuration;

    [ParamsSource(nameof(Configurations))]
    public string Listener { get; set; } = "none";

    public static IEnumerable<string> Configurations => ListeningConfiguration.Names;

    [GlobalSetup]
    public void Setup() => _configuration = new ListeningConfiguration(Listener, Token);

    [GlobalCleanup]
    public void Cleanup() => _configuration?.Dispose();

    [Benchmark(Baseline = true)]
    public void BareAsyncLocalSetRestore() => BareSetRestore();

    [Benchmark]
    public void BareAsyncLocalWithChangeHandlerSetRestore() => BareWithHandlerSetRestore();

    [Benchmark]
    public void EnterExitPair() => EnterExit();

    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static void BareSetRestore()
    {
        s_bare.Value = s_value;
        s_bare.Value = null;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static void BareWithHandlerSetRestore()
    {
        s_bareWithHandler.Value = s_value;
        s_bareWithHandler.Value = null;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static void EnterExit()
    {
        using (Token.Enter())
        {
        }
    }
}
