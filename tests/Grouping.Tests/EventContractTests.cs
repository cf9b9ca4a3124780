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
}
