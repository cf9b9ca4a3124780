using System.Diagnostics.Tracing;
using System.Xml.Linq;

namespace TrackingProfiler.Grouping.Tests;

public class EventContractTests
{
    [Fact]
    public void Tags_RoundTrip_WhenTheyContainSeparatorsAndEscapes()
    {
        (string, string)[] tags = [("a=b", "c;d"), ("back\\slash", ""), ("", "=;\\")];
        string encoded = EventContract.EncodeTags(tags);
        Assert.Equal(tags, EventContract.DecodeTags(encoded));
    }

    [Fact]
    public void EncodeTags_GivesEmptyString_WhenThereAreNoTags()
    {
        Assert.Equal(string.Empty, EventContract.EncodeTags([]));
        Assert.Empty(EventContract.DecodeTags(string.Empty));
        Assert.Empty(EventContract.DecodeTags(null));
    }

    [Fact]
    public void EncodeTags_IsReadable_WhenTagsArePlain()
    {
        Assert.Equal("tier=api;region=eu", EventContract.EncodeTags([("tier", "api"), ("region", "eu")]));
    }

    [Fact]
    public void DecodeTags_NeverThrows_WhenInputIsMalformed()
    {
        var tags = EventContract.DecodeTags("novalue;=x;trailing\\");
        Assert.Equal(3, tags.Count);
        Assert.Equal(("novalue", ""), tags[0]);
    }

    [Fact]
    public void Manifest_MatchesTheContractConstants()
    {
        // The EventSource's own manifest (what ETW/EventPipe consumers decode with) against the shared contract: ids,
        // versions, keywords and the payload field order the writer indexes with EventContract's constants.
        string xml = EventSource.GenerateManifest(typeof(AllocationGroupsEventSource), assemblyPathToIncludeInManifest: null)!;
        var doc = XDocument.Parse(xml);
        XNamespace ns = doc.Root!.GetDefaultNamespace();
        var provider = doc.Descendants(ns + "provider").Single();
        Assert.Equal(EventContract.SourceName, provider.Attribute("name")!.Value);

        var keywords = provider.Descendants(ns + "keyword").ToDictionary(k => k.Attribute("name")!.Value, k => Convert.ToInt64(k.Attribute("mask")!.Value, 16));
        Assert.Equal(EventContract.KeywordRegistration, keywords["Registration"]);
        Assert.Equal(EventContract.KeywordActivityIds, keywords["ActivityIds"]);
        Assert.Equal(EventContract.KeywordTotals, keywords["Totals"]);
        Assert.DoesNotContain(EventContract.KeywordGroupChanges, keywords.Values); // retired, never reused

        // Event 0 is EventSource's own message event, in every manifest.
        var events = provider.Descendants(ns + "event").Where(e => e.Attribute("value")!.Value != "0").ToDictionary(e => int.Parse(e.Attribute("value")!.Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal([EventContract.GroupRegistered.Id, EventContract.GroupAllocated.Id], events.Keys.Order());
        AssertEvent(EventContract.GroupRegistered.Name, EventContract.GroupRegistered.Version, "Registration");
        AssertEvent(EventContract.GroupAllocated.Name, EventContract.GroupAllocated.Version, "Totals");

        AssertFields(EventContract.GroupRegistered.Name, new()
        {
            [EventContract.GroupRegistered.GroupIdIndex] = ("GroupId", "win:Int32"),
            [EventContract.GroupRegistered.NameIndex] = ("Name", "win:UnicodeString"),
            [EventContract.GroupRegistered.TagsIndex] = ("Tags", "win:UnicodeString"),
        });
        AssertFields(EventContract.GroupAllocated.Name, new()
        {
            [EventContract.GroupAllocated.GroupIdIndex] = ("GroupId", "win:Int32"),
            [EventContract.GroupAllocated.AllocatedBytesIndex] = ("AllocatedBytes", "win:Int64"),
        });

        // The fixed layout the profiler reads without parsing: packed, int32 then int64.
        Assert.Equal(sizeof(int), EventContract.GroupAllocated.AllocatedBytesOffset - EventContract.GroupAllocated.GroupIdOffset);
        Assert.Equal(sizeof(int) + sizeof(long), EventContract.GroupAllocated.PayloadSize);

        void AssertEvent(string name, byte version, string keyword)
        {
            int id = name == EventContract.GroupRegistered.Name ? EventContract.GroupRegistered.Id : EventContract.GroupAllocated.Id;
            var e = events[id];
            Assert.Equal(name, e.Attribute("symbol")!.Value);
            Assert.Equal(version.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Attribute("version")!.Value);
            Assert.Equal(keyword, e.Attribute("keywords")!.Value);
            Assert.Equal("win:Informational", e.Attribute("level")!.Value);
        }

        void AssertFields(string eventName, Dictionary<int, (string Name, string Type)> expected)
        {
            var template = provider.Descendants(ns + "template").Single(t => t.Attribute("tid")!.Value == eventName + "Args");
            var fields = template.Elements(ns + "data").Select(d => (d.Attribute("name")!.Value, d.Attribute("inType")!.Value)).ToList();
            Assert.Equal(expected.Count, fields.Count);
            foreach (var (index, field) in expected)
            {
                Assert.Equal(field, fields[index]);
            }
        }
    }

    [Fact]
    public void ActivityIds_RoundTrip_AndRejectForeignIds()
    {
        foreach (int id in new[] { 1, 42, int.MaxValue })
        {
            Assert.True(EventContract.ActivityIds.TryDecode(EventContract.ActivityIds.Encode(id), out int decoded));
            Assert.Equal(id, decoded);
        }

        Assert.False(EventContract.ActivityIds.TryDecode(Guid.Empty, out _)); // root: the empty id is not a marked id
        Assert.False(EventContract.ActivityIds.TryDecode(Guid.NewGuid(), out _));
    }
}
