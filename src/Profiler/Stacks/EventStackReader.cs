using System.Reflection;
using System.Reflection.Emit;
using Microsoft.Diagnostics.Tracing;

namespace TrackingProfiler.Profiler.Stacks;

/// <summary>
/// Reads the managed stack EventPipe recorded with an event: its return addresses, leaf first.
/// </summary>
/// <remarks>
/// TraceEvent 4.0 keeps an EventPipe event's stack in the native <c>EVENT_RECORD</c> it dispatches (an extended
/// data item of type <c>EVENT_HEADER_EXT_TYPE_STACK_TRACE64</c>), but exposes it only to its own TraceLog, which
/// keeps every event and stack of the session in memory. Reading the record directly keeps a live session bounded
/// and works the same on a recorded file. The record's address lives in the internal field <c>eventRecord</c>: one
/// compiled accessor reads it (no reflection per event). A TraceEvent version without that field gives no stacks
/// (samples then count under "(no stack)", and a note says so); the integration tests would fail loudly.
/// </remarks>
internal static unsafe class EventStackReader
{
    // EVENT_RECORD (evntcons.h, as TraceEventNativeMethods declares it): EVENT_HEADER (80 bytes), ETW_BUFFER_CONTEXT
    // (4), ExtendedDataCount (ushort, offset 84), UserDataLength (ushort), ExtendedData (pointer, offset 88).
    private const int ExtendedDataCountOffset = 84;
    private const int ExtendedDataOffset = 88;

    // EVENT_HEADER_EXTENDED_DATA_ITEM: Reserved1, ExtType, Reserved2, DataSize (ushorts), DataPtr (ulong): 16 bytes.
    private const int ExtendedItemSize = 16;
    private const ushort StackTrace32 = 0x0005;
    private const ushort StackTrace64 = 0x0006;

    private static readonly Func<TraceEvent, nint>? s_eventRecord = CompileAccessor();

    /// <summary>The event's return addresses, leaf first; null when the event carries no stack.</summary>
    public static ulong[]? Read(TraceEvent data)
    {
        if (s_eventRecord is null)
        {
            return null;
        }

        byte* record = (byte*)s_eventRecord(data);
        if (record == null)
        {
            return null;
        }

        int count = *(ushort*)(record + ExtendedDataCountOffset);
        byte* items = *(byte**)(record + ExtendedDataOffset);
        for (int i = 0; i < count && items != null; i++)
        {
            byte* item = items + (i * ExtendedItemSize);
            ushort type = *(ushort*)(item + 2);
            int dataSize = *(ushort*)(item + 6);
            byte* dataPtr = (byte*)*(ulong*)(item + 8);

            // EVENT_EXTENDED_ITEM_STACK_TRACE{32,64}: a MatchId (ulong, unused) then the addresses.
            if (type == StackTrace64)
            {
                int frames = (dataSize - sizeof(ulong)) / sizeof(ulong);
                return frames > 0 ? new ReadOnlySpan<ulong>(dataPtr + sizeof(ulong), frames).ToArray() : null;
            }

            if (type == StackTrace32)
            {
                int frames = (dataSize - sizeof(ulong)) / sizeof(uint);
                if (frames <= 0)
                {
                    return null;
                }

                var addresses = new ulong[frames];
                var source = new ReadOnlySpan<uint>(dataPtr + sizeof(ulong), frames);
                for (int f = 0; f < frames; f++)
                {
                    addresses[f] = source[f];
                }

                return addresses;
            }
        }

        return null;
    }

    private static Func<TraceEvent, nint>? CompileAccessor()
    {
        var field = typeof(TraceEvent).GetField("eventRecord", BindingFlags.Instance | BindingFlags.NonPublic);
        if (field is null || !field.FieldType.IsPointer)
        {
            return null;
        }

        // A dynamic method owned by TraceEvent may read its internal field; conv.u turns the typed pointer into nint.
        var method = new DynamicMethod("ReadEventRecord", typeof(nint), [typeof(TraceEvent)], typeof(TraceEvent).Module, skipVisibility: true);
        var il = method.GetILGenerator();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldfld, field);
        il.Emit(OpCodes.Conv_U);
        il.Emit(OpCodes.Ret);
        return method.CreateDelegate<Func<TraceEvent, nint>>();
    }
}
