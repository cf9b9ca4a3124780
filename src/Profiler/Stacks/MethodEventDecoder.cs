using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace TrackingProfiler.Profiler.Stacks;

/// <summary>
/// Fills a <see cref="MethodAddressMap"/> from the runtime's method and module events: methods compiled during the
/// session (<c>MethodLoadVerbose</c>, JIT keyword), ReadyToRun methods first called during it (<c>R2RGetEntryPoint</c>),
/// and, from the rundown the runtime sends when the session stops, every method and module already there before it
/// started (JIT-compiled and precompiled alike). Works on a live stream and on a recorded file (dotnet-trace's too).
/// </summary>
internal static class MethodEventDecoder
{
    public static void Subscribe(TraceEventSource source, MethodAddressMap map)
    {
        void OnMethod(MethodLoadUnloadVerboseTraceData data) =>
            map.AddMethod(new MethodCode(data.MethodStartAddress, (uint)data.MethodSize, FullName(data.MethodNamespace, data.MethodName), (ulong)data.ModuleID));

        void OnModule(ModuleLoadUnloadTraceData data) =>
            map.AddModule((ulong)data.ModuleID, string.IsNullOrEmpty(data.ModuleILPath) ? data.ModuleNativePath : data.ModuleILPath);

        var clr = new ClrTraceEventParser(source);
        clr.MethodLoadVerbose += OnMethod;
        clr.LoaderModuleLoad += OnModule;
        clr.MethodR2RGetEntryPoint += data =>
            map.AddMethod(new MethodCode((ulong)data.EntryPoint, 0, FullName(data.MethodNamespace, data.MethodName), 0));

        var rundown = new ClrRundownTraceEventParser(source);
        rundown.MethodDCStartVerbose += OnMethod;
        rundown.MethodDCStopVerbose += OnMethod;
        rundown.LoaderModuleDCStart += OnModule;
        rundown.LoaderModuleDCStop += OnModule;
    }

    /// <summary><c>Namespace.Type.Method</c>: the runtime's "namespace" field is the full type name.</summary>
    private static string FullName(string? typeName, string? methodName) =>
        string.IsNullOrEmpty(typeName) ? methodName ?? "?" : $"{typeName}.{methodName}";
}
