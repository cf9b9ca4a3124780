using TrackingProfiler.Profiler.Attribution;
using TrackingProfiler.Profiler.Events;

namespace TrackingProfiler.Profiler.Tests.Attribution;

public class RouteTemplateTests
{
    [Theory]
    [InlineData("/users/by-name/{name}", "/users/by-name/alice", true)]
    [InlineData("/users/by-name/{name}", "/USERS/By-Name/alice", true)] // literals ignore case
    [InlineData("/users/by-name/{name}", "/users/by-name", false)]
    [InlineData("/users/by-name/{name}", "/users/by-name/alice/x", false)]
    [InlineData("users/{id}", "/users/7", true)] // controllers' templates come without the leading slash
    [InlineData("/orders/{id:int}", "/orders/42", true)]
    [InlineData("/orders/{id:int}", "/orders/abc", false)]
    [InlineData("/orders/{id:long}", "/orders/99999999999", true)]
    [InlineData("/orders/{id:int}", "/orders/99999999999", false)]
    [InlineData("/users/{id:guid}", "/users/3f2504e0-4f89-11d3-9a0c-0305e82c3301", true)]
    [InlineData("/users/{id:guid}", "/users/alice", false)]
    [InlineData("/flags/{on:bool}", "/flags/true", true)]
    [InlineData("/flags/{on:bool}", "/flags/yes", false)]
    [InlineData("/names/{n:alpha}", "/names/Alice", true)]
    [InlineData("/names/{n:alpha}", "/names/al1ce", false)]
    [InlineData("/pages/{n:int:range(1,10)}", "/pages/5", true)]
    [InlineData("/pages/{n:int:range(1,10)}", "/pages/11", false)]
    [InlineData("/codes/{c:length(3)}", "/codes/abc", true)]
    [InlineData("/codes/{c:length(3)}", "/codes/abcd", false)]
    [InlineData("/codes/{c:regex(^[a-z]+$)}", "/codes/anything", true)] // unknown to this matcher: accepted
    [InlineData("/items/{page?}", "/items", true)]
    [InlineData("/items/{page?}", "/items/3", true)]
    [InlineData("/items/{page:int?}", "/items", true)]
    [InlineData("/items/{page=1}", "/items", true)]
    [InlineData("/items/{page:int=1}", "/items/x", false)]
    [InlineData("/files/{*path}", "/files", true)]
    [InlineData("/files/{*path}", "/files/a/b/c.txt", true)]
    [InlineData("/files/{**path}", "/files/a/b", true)]
    [InlineData("/files/{*path}", "/other/a", false)]
    [InlineData("/", "/", true)]
    [InlineData("/", "/x", false)]
    [InlineData("/docs/{name}.{ext}", "/docs/a.txt", false)] // complex segments are never matched
    [InlineData("/docs/file-{id}", "/docs/file-1", false)]
    public void Matches_FollowsTheTemplateSyntax(string template, string path, bool expected)
    {
        var templates = new RouteTemplates();
        templates.Learn("GET", template);
        Assert.Equal(expected, templates.Match("GET", path) is not null);
    }

    [Theory]
    [InlineData("/users/me", "/users/me")]
    [InlineData("/users/7", "/users/{id:int}")]
    [InlineData("/users/alice", "/users/{name}")]
    [InlineData("/users/alice/posts", "/users/{name}/{*rest}")]
    [InlineData("/users", "/users/{*rest}")]
    [InlineData("/users/7/posts", "/users/{id:int}/posts")]
    public void Match_PrefersLiteral_ThenConstrained_ThenParameter_ThenCatchAll(string path, string expected)
    {
        var templates = new RouteTemplates();
        foreach (string t in new[] { "/users/{*rest}", "/users/{name}", "/users/{id:int}", "/users/me", "/users/{id:int}/posts", "/users/{name}/{*rest}" })
        {
            templates.Learn("GET", t);
        }

        Assert.Equal(expected, templates.Match("GET", path)?.Text);
    }

    [Fact]
    public void Match_OnlyOffersTemplatesLearnedForTheRequestsMethod()
    {
        var templates = new RouteTemplates();
        templates.Learn("POST", "/orders/{id}");
        Assert.Null(templates.Match("GET", "/orders/1"));
        Assert.Equal("/orders/{id}", templates.Match("post", "/orders/1")?.Text);
    }

    [Fact]
    public void Learn_BoundsWhatTheTargetCanMakeItKeep()
    {
        var templates = new RouteTemplates();
        Assert.False(templates.Learn("GET", "/" + new string('a', RouteTemplates.MaxTemplateLength)));
        Assert.False(templates.Learn("GET", string.Empty));
        for (int i = 0; i < RouteTemplates.MaxTemplates + 50; i++)
        {
            templates.Learn("GET", $"/r{i}/{{id}}");
        }

        Assert.Equal(RouteTemplates.MaxTemplates, templates.Count);
        Assert.Equal(52, templates.Refused);
        Assert.False(templates.Learn("GET", "/r0/{id}")); // already known: neither learned again nor refused
        Assert.Equal(52, templates.Refused);
    }

    [Theory]
    [InlineData("/a/{")]
    [InlineData("/a/}")]
    [InlineData("/a/{}")]
    [InlineData("/a/{{x}}")]
    [InlineData("/a/{x:int(}")]
    [InlineData("/a/{*x}/b")]
    [InlineData("/{a?}/b")]
    [InlineData("{:int}")]
    [InlineData("//////")]
    [InlineData("/a/{x:range(,)}")]
    [InlineData("/a/{x:min(abc)}")]
    public void Parse_NeverThrows_AndMatchesNothingOdd_OnHostileTemplates(string template)
    {
        var templates = new RouteTemplates();
        templates.Learn("GET", template);
        _ = templates.Match("GET", "/a/1");
        _ = templates.Match("GET", "/a/b");
        _ = templates.Match("GET", "/");
    }

    [Fact]
    public void Name_ReplacesControlCharacters_AndNormalizesTheMethod()
    {
        var templates = new RouteTemplates();
        templates.Learn("get", "/a\u001b[31m/{x}");
        var template = templates.Match("GET", "/a\u001b[31m/1");
        Assert.NotNull(template);
        string name = RouteTemplates.Name("get", template);
        Assert.Equal("GET /a?[31m/{x}", name);
        Assert.Equal("? /a?[31m/{x}", RouteTemplates.Name("G\nT", template));
    }

    [Theory]
    [InlineData("http.request.method=GET,http.response.status_code=200,http.route=/orders/{id:int},network.protocol.version=1.1,url.scheme=http", "/orders/{id:int}")]
    [InlineData("http.request.method=GET,http.route=/pages/{n:range(1,10)},url.scheme=http", "/pages/{n:range(1,10)}")]
    [InlineData("http.route=/a=b,x", "/a=b,x")]
    public void MetricTags_ReadsTheRoute_EvenWithCommasInIt(string tags, string route)
    {
        var parsed = MetricTags.Parse(tags);
        Assert.Equal(route, parsed["http.route"]);
    }

    [Fact]
    public void MetricTags_KeepsABoundedNumberOfTags()
    {
        string tags = string.Join(',', Enumerable.Range(0, 10_000).Select(i => $"k{i}=v"));
        Assert.Equal(32, MetricTags.Parse(tags).Count);
        Assert.Empty(MetricTags.Parse(string.Empty));
        Assert.Empty(MetricTags.Parse(",,,=,"));
    }
}
