using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace TrackingProfiler.Grouping.Tests;

/// <summary>
/// The event contract as it travels between a target and a profiler of another build, pinned with literal values
/// (docs/events.md): both sides compile EventContract.cs, so tests that read its constants would pass after a rename
/// that breaks every profiler already installed. Changing a value here means a new contract version.
/// </summary>
[Collection("events")]
public class WireContractTests
{
    [Fact]
    public void Provider_HasTheDocumentedNameAndTheGuidDerivedFromIt()
    {
        Assert.Equal("TrackingProfiler-AllocationGroups", EventContract.SourceName);
        Assert.Equal("TrackingProfiler-AllocationGroups", EventSource.GetName(typeof(AllocationGroupsEventSource)));
        Assert.Equal(new Guid("d4db353e-97f4-5dbb-5880-96ec92ce093a"), EventSource.GetGuid(typeof(AllocationGroupsEventSource)));
    }

    [Fact]
    public void Keywords_HaveTheirDocumentedBits()
    {
        Assert.Equal(0x1, EventContract.KeywordRegistration);
        Assert.Equal(0x2, EventContract.KeywordGroupChanges);
        Assert.Equal(0x4, EventContract.KeywordActivityIds);
        Assert.Equal(0x8, EventContract.KeywordTotals);
        Assert.Equal("TotalsIntervalMs", EventContract.TotalsIntervalArgument);
        Assert.Equal(1000, EventContract.DefaultTotalsIntervalMs);
        Assert.Equal(0, EventContract.RootGroupId);
    }

    [Fact]
    public void GroupRegistered_IsEvent1_Version0_WithGroupIdNameAndTags_OnKeyword1()
    {
        Assert.Equal(1, EventContract.GroupRegistered.Id);
        Assert.Equal((0, 1, 2), (EventContract.GroupRegistered.GroupIdIndex, EventContract.GroupRegistered.NameIndex, EventContract.GroupRegistered.TagsIndex));

        // On the wire, as a listener receives it.
        using var listener = new RawListener((EventKeywords)0x1);
        var token = AllocationGroupToken.Register("wire-registered", ("tier", "api"));
        var e = Assert.Single(listener.Events, e => e.EventId == 1 && (int)e.Payload![0]! == token.Id.Value);
        Assert.Equal("GroupRegistered", e.EventName);
        Assert.Equal(0, e.Version);
        Assert.Equal(EventLevel.Informational, e.Level);
        Assert.Equal((EventKeywords)0x1, e.Keywords & (EventKeywords)0xF);
        Assert.Equal(["GroupId", "Name", "Tags"], e.PayloadNames!);
        Assert.IsType<int>(e.Payload![0]);
        Assert.Equal("wire-registered", Assert.IsType<string>(e.Payload[1]));
        Assert.Equal("tier=api", Assert.IsType<string>(e.Payload[2]));
    }

    [Fact]
    public void GroupAllocated_IsEvent3_Version0_WithAFixed12BytePayload()
    {
        Assert.Equal(3, EventContract.GroupAllocated.Id);
        Assert.Equal("GroupAllocated", EventContract.GroupAllocated.Name);
        Assert.Equal(0, EventContract.GroupAllocated.Version);
        Assert.Equal((0, 1), (EventContract.GroupAllocated.GroupIdIndex, EventContract.GroupAllocated.AllocatedBytesIndex));
        Assert.Equal((0, 4, 12), (EventContract.GroupAllocated.GroupIdOffset, EventContract.GroupAllocated.AllocatedBytesOffset, EventContract.GroupAllocated.PayloadSize));
    }

    [Fact]
    public void ActivityIds_CarryTheGroupIdLittleEndianThenTheMarker()
    {
        // Group 0x01020304 → 04 03 02 01, then "TP" "AG" "v2-alloc" (54 50 41 47 76 32 2D 61 6C 6C 6F 63).
        byte[] expected = [0x04, 0x03, 0x02, 0x01, 0x54, 0x50, 0x41, 0x47, 0x76, 0x32, 0x2D, 0x61, 0x6C, 0x6C, 0x6F, 0x63];
        Assert.Equal(expected, EventContract.ActivityIds.Encode(0x01020304).ToByteArray());

        Assert.True(EventContract.ActivityIds.TryDecode(new Guid(expected), out int id));
        Assert.Equal(0x01020304, id);
        byte[] foreign = [.. expected];
        foreign[15] ^= 1; // one marker bit off: an id someone else (TPL, Activities) set
        Assert.False(EventContract.ActivityIds.TryDecode(new Guid(foreign), out _));
        Assert.False(EventContract.ActivityIds.TryDecode(Guid.Empty, out _));
    }

    /// <summary>Records every event of the groups source with the keywords given.</summary>
    private sealed class RawListener : EventListener
    {
        private readonly EventKeywords _keywords;
        private volatile bool _ready;

        public RawListener(EventKeywords keywords)
        {
            _keywords = keywords;
            _ready = true;
            EnableEvents(AllocationGroupsEventSource.Log, EventLevel.Informational, keywords);
        }

        public ConcurrentQueue<EventWrittenEventArgs> Events { get; } = new();

        protected override void OnEventWritten(EventWrittenEventArgs e)
        {
            if (_ready && e.EventSource.Name == "TrackingProfiler-AllocationGroups")
            {
                Events.Enqueue(e);
            }
        }

        public override void Dispose()
        {
            _ready = false;
            DisableEvents(AllocationGroupsEventSource.Log);
            base.Dispose();
        }
    }
}
