// The protocol between the target (src/Grouping) and the profiler (src/Profiler).
// This one file is compiled into both assemblies so that ids, keywords and payload layout cannot drift apart.
// docs/events.md describes it for people; change both together and bump the event version when a payload changes.
using System.Text;

namespace TrackingProfiler;

internal static class EventContract
{
    /// <summary>EventSource name; its provider GUID is derived from this name by the EventSource rules.</summary>
    public const string SourceName = "TrackingProfiler-AllocationGroups";

    /// <summary>The id of the root group: code that entered no group.</summary>
    public const int RootGroupId = 0;

    /// <summary>Keyword of <c>GroupRegistered</c> (registration and rundown).</summary>
    public const long KeywordRegistration = 0x1;

    /// <summary>Retired: contract v1's <c>GroupChanged</c> keyword. The target no longer writes it; never reuse the bit.</summary>
    public const long KeywordGroupChanges = 0x2;

    /// <summary>
    /// Contract v2: while a session enables this keyword, the library stamps each thread's EventSource activity id
    /// with <see cref="ActivityIds.Encode"/> of its current group, so every native runtime event the thread writes
    /// (AllocationSampled, GCAllocationTick) carries its group. Leaving to the root group clears the id.
    /// </summary>
    public const long KeywordActivityIds = 0x4;

    /// <summary>Contract v2: per-group cumulative exact byte totals (<c>GroupAllocated</c>), published periodically.</summary>
    public const long KeywordTotals = 0x8;

    /// <summary>
    /// The EventSource argument (EventPipe provider filter <c>key=value</c>) that sets how often totals are published,
    /// in milliseconds; <see cref="DefaultTotalsIntervalMs"/> when absent or malformed.
    /// </summary>
    public const string TotalsIntervalArgument = "TotalsIntervalMs";

    public const int DefaultTotalsIntervalMs = 1000;

    /// <summary>
    /// The EventSource argument that asks for totals also when a thread returns to the root group (value <c>true</c>),
    /// a few per interval at most: what a process writes while exiting never reaches an EventPipe session, so a
    /// profiler asks for this to keep the bytes of a program that exits right after its last group.
    /// </summary>
    public const string PublishOnReturnToRootArgument = "PublishOnReturnToRoot";

    public static class GroupRegistered
    {
        public const int Id = 1;
        public const string Name = "GroupRegistered";
        public const byte Version = 0;
        // Payload order: GroupId (int32), Name (UTF-16 string), Tags (UTF-16 string, see EncodeTags).
        public const int GroupIdIndex = 0;
        public const int NameIndex = 1;
        public const int TagsIndex = 2;
    }

    /// <summary>Retired (contract v1): the target no longer writes it; the id is never reused. Kept for v1 decoders.</summary>
    public static class GroupChanged
    {
        public const int Id = 2;
        public const string Name = "GroupChanged";
        public const byte Version = 0;
        // Payload order and fixed layout: FromGroupId (int32 @0), ToGroupId (int32 @4), ThreadAllocatedBytes (int64 @8).
        public const int FromGroupIdIndex = 0;
        public const int ToGroupIdIndex = 1;
        public const int ThreadAllocatedBytesIndex = 2;
        public const int FromGroupIdOffset = 0;
        public const int ToGroupIdOffset = 4;
        public const int ThreadAllocatedBytesOffset = 8;
        public const int PayloadSize = 16;
    }

    public static class GroupAllocated
    {
        public const int Id = 3;
        public const string Name = "GroupAllocated";
        public const byte Version = 0;
        // Payload order and fixed layout: GroupId (int32 @0), AllocatedBytes (int64 @4, cumulative since the
        // process first turned accounting on; never decreases).
        public const int GroupIdIndex = 0;
        public const int AllocatedBytesIndex = 1;
        public const int GroupIdOffset = 0;
        public const int AllocatedBytesOffset = 4;
        public const int PayloadSize = 12;
    }

    /// <summary>
    /// How a group id travels in a thread's EventSource activity id: the first four bytes hold the group id
    /// (little-endian int32), the other twelve a fixed marker, so that ids set by others (TPL's ActivityTracker,
    /// Activities) are recognised as foreign and never read as a group.
    /// </summary>
    public static class ActivityIds
    {
        // "TPAG" "v2" "-alloc" read as Guid fields b, c and d..k.
        private const short MarkerB = 0x5054;
        private const short MarkerC = 0x4741;
        private const byte D = 0x76, E = 0x32, F = 0x2d, G = 0x61, H = 0x6c, I = 0x6c, J = 0x6f, K = 0x63;

        public static Guid Encode(int groupId) => new(groupId, MarkerB, MarkerC, D, E, F, G, H, I, J, K);

        /// <summary>Whether <paramref name="activityId"/> was written by <see cref="Encode"/>; its group id if so.</summary>
        public static bool TryDecode(Guid activityId, out int groupId)
        {
            Span<byte> bytes = stackalloc byte[16];
            activityId.TryWriteBytes(bytes);
            Span<byte> marker = stackalloc byte[16];
            Encode(0).TryWriteBytes(marker);
            if (bytes[4..].SequenceEqual(marker[4..]))
            {
                groupId = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(bytes);
                return true;
            }

            groupId = 0;
            return false;
        }
    }

    private const char TagSeparator = ';';
    private const char KeyValueSeparator = '=';
    private const char Escape = '\\';

    /// <summary>Encodes tags as <c>key=value;key=value</c>, escaping <c>\</c>, <c>;</c> and <c>=</c> with <c>\</c>.</summary>
    public static string EncodeTags(IReadOnlyList<(string Key, string Value)> tags)
    {
        if (tags.Count == 0)
        {
            return string.Empty;
        }

        var builder = new StringBuilder();
        for (int i = 0; i < tags.Count; i++)
        {
            if (i > 0)
            {
                builder.Append(TagSeparator);
            }

            AppendEscaped(builder, tags[i].Key);
            builder.Append(KeyValueSeparator);
            AppendEscaped(builder, tags[i].Value);
        }

        return builder.ToString();
    }

    /// <summary>Inverse of <see cref="EncodeTags"/>; tolerant of malformed input (never throws).</summary>
    public static List<(string Key, string Value)> DecodeTags(string? encoded)
    {
        var tags = new List<(string Key, string Value)>();
        if (string.IsNullOrEmpty(encoded))
        {
            return tags;
        }

        var key = new StringBuilder();
        var value = new StringBuilder();
        var current = key;
        for (int i = 0; i < encoded.Length; i++)
        {
            char c = encoded[i];
            if (c == Escape && i + 1 < encoded.Length)
            {
                current.Append(encoded[++i]);
            }
            else if (c == KeyValueSeparator && ReferenceEquals(current, key))
            {
                current = value;
            }
            else if (c == TagSeparator)
            {
                tags.Add((key.ToString(), value.ToString()));
                key.Clear();
                value.Clear();
                current = key;
            }
            else
            {
                current.Append(c);
            }
        }

        tags.Add((key.ToString(), value.ToString()));
        return tags;
    }

    private static void AppendEscaped(StringBuilder builder, string text)
    {
        foreach (char c in text)
        {
            if (c is Escape or TagSeparator or KeyValueSeparator)
            {
                builder.Append(Escape);
            }

            builder.Append(c);
        }
    }
}
