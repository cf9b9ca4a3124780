using TrackingProfiler.Profiler.Attribution;
using TrackingProfiler.Profiler.Events;

namespace TrackingProfiler.Profiler.Tests.Attribution;

public class ForeignActivityGroupsTests
{
    [Fact]
    public async Task Resolve_GivesNestedWorkToTheRequest_AndOneGroupPerEndpoint()
    {
        var groups = new ForeignActivityGroups(ZeroCodeGrouping.Requests);
        await Task.Run(() =>
        {
            Guid first = RealActivityIds.Start(1);
            var created = groups.OnRequestStart(new RequestStartEvent(0, 1, first, "GET", "/orders/17"));
            Assert.Equal("GET /orders/{id}", created!.Value.Name);

            // An HttpClient call or an Activity inside the request: a child id, and its child.
            Guid nested = RealActivityIds.Start(2);
            Guid deeper = RealActivityIds.Start(3);
            Assert.Equal(created.Value.Id, groups.Resolve(first));
            Assert.Equal(created.Value.Id, groups.Resolve(nested));
            Assert.Equal(created.Value.Id, groups.Resolve(deeper));
            RealActivityIds.Stop(3);
            RealActivityIds.Stop(2);
            RealActivityIds.Stop(1);
            groups.OnStop(new ScopeStopEvent(1, first));

            // Another order: same endpoint, same group, nothing new to announce.
            Guid second = RealActivityIds.Start(4);
            Assert.Null(groups.OnRequestStart(new RequestStartEvent(2, 1, second, "GET", "/orders/18")));
            Assert.Equal(created.Value.Id, groups.Resolve(second));
            RealActivityIds.Stop(4);

            Guid report = RealActivityIds.Start(5);
            var other = groups.OnRequestStart(new RequestStartEvent(3, 1, report, "GET", "/report"));
            Assert.NotEqual(created.Value.Id, other!.Value.Id);
            Assert.Equal(other.Value.Id, groups.Resolve(report));
            RealActivityIds.Stop(5);

            // A scope the session never saw start is nobody's request.
            Guid unseen = RealActivityIds.Start(6);
            Assert.Equal(ZeroCodeGroupIds.Unresolved, groups.Resolve(unseen));
            RealActivityIds.Stop(6);
        });

        Assert.Equal(ZeroCodeGroupIds.Outside, groups.Resolve(Guid.Empty));
        Assert.Equal(ZeroCodeGroupIds.Unresolved, groups.Resolve(EventContract.ActivityIds.Encode(3)));
    }

    [Fact]
    public async Task Resolve_GivesTheInnermostFollowedActivity_WithActivities()
    {
        var groups = new ForeignActivityGroups(ZeroCodeGrouping.Activities, new HashSet<string> { "app" });
        await Task.Run(() =>
        {
            Guid outer = RealActivityIds.Start(1);
            var import = groups.OnActivityStart(new ActivityStartEvent(0, 1, outer, "app", "import"))!.Value;
            Guid inner = RealActivityIds.Start(2);
            var parse = groups.OnActivityStart(new ActivityStartEvent(0, 1, inner, "app", "parse"))!.Value;
            Guid ignored = RealActivityIds.Start(3);
            Assert.Null(groups.OnActivityStart(new ActivityStartEvent(0, 1, ignored, "System.Net.Http", "System.Net.Http.HttpRequestOut")));

            Assert.Equal(import.Id, groups.Resolve(outer));
            Assert.Equal(parse.Id, groups.Resolve(inner));
            Assert.Equal(parse.Id, groups.Resolve(ignored)); // an unfollowed source's Activity counts to the innermost followed one
            Assert.Contains(("source", "app"), parse.Tags);
            RealActivityIds.Stop(3);
            RealActivityIds.Stop(2);
            RealActivityIds.Stop(1);
        });
    }

    [Fact]
    public async Task OnRequestStart_SendsNamesBeyondTheCapToTheOverflowGroup()
    {
        var groups = new ForeignActivityGroups(ZeroCodeGrouping.Requests, maxGroups: 2);
        await Task.Run(() =>
        {
            var ids = new List<int>();
            foreach (string path in new[] { "/a", "/b", "/c", "/d" })
            {
                Guid id = RealActivityIds.Start(1);
                groups.OnRequestStart(new RequestStartEvent(0, 1, id, "GET", path));
                ids.Add(groups.Resolve(id));
                RealActivityIds.Stop(1);
            }

            Assert.Equal(2, ids.Take(2).Distinct().Count());
            Assert.All(ids.Skip(2), id => Assert.Equal(ZeroCodeGroupIds.Overflow, id));
            Assert.Equal(2, groups.OverflowStarts);
        });
    }

    [Fact]
    public void OnRequestStart_CountsStartsWithoutAnActivityPath()
    {
        var groups = new ForeignActivityGroups(ZeroCodeGrouping.Requests);
        Assert.Null(groups.OnRequestStart(new RequestStartEvent(0, 1, Guid.Empty, "GET", "/a")));
        Assert.Equal(1, groups.StartsWithoutPath);
    }
}
