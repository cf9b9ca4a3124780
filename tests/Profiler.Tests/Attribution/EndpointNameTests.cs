using TrackingProfiler.Profiler.Attribution;

namespace TrackingProfiler.Profiler.Tests.Attribution;

public class EndpointNameTests
{
    [Theory]
    [InlineData("GET", "/orders/123", "GET /orders/{id}")]
    [InlineData("get", "/orders/123/lines/7", "GET /orders/{id}/lines/{id}")]
    [InlineData("POST", "/users/3f2504e0-4f89-11d3-9a0c-0305e82c3301", "POST /users/{id}")]
    [InlineData("GET", "/users/3F2504E04F8911D39A0C0305E82C3301/avatar", "GET /users/{id}/avatar")]
    [InlineData("GET", "/blobs/5f3a9c01de", "GET /blobs/{id}")]
    [InlineData("GET", "/report", "GET /report")]
    [InlineData("GET", "/", "GET /")]
    [InlineData("GET", "", "GET /")]
    [InlineData("GET", "/search?q=123", "GET /search")]
    [InlineData("GET", "/products/coffee", "GET /products/coffee")]
    [InlineData("GET", "/v2/deadbeef", "GET /v2/deadbeef")] // hex words without a digit are words
    [InlineData("GET", "/api/cafe", "GET /api/cafe")]
    public void For_FoldsIdLikeSegments_AndKeepsWords(string method, string path, string expected) =>
        Assert.Equal(expected, EndpointName.For(method, path));

    [Fact]
    public void For_BoundsAndCleansUntrustedInput()
    {
        string deep = string.Concat(Enumerable.Repeat("/a", 100));
        Assert.EndsWith("/…", EndpointName.For("GET", deep), StringComparison.Ordinal);
        Assert.True(EndpointName.For("GET", "/" + new string('x', 10_000)).Length < 100);
        Assert.Equal("GET /a?b", EndpointName.For("GET", "/a\u001bb"));
        Assert.Equal("? /", EndpointName.For("GE\u0007T", "/"));
    }
}
