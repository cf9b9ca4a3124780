using TrackingProfiler.Profiler.Attribution;
using TrackingProfiler.Profiler.Events;
using TrackingProfiler.Profiler.Tracking;

namespace TrackingProfiler.Profiler.Tests.Attribution;

public class ForeignActivityGroupsTests
{
    private readonly List<GroupInfo> _created = [];

    [Fact]
    public async Task Resolve_GivesNestedWorkToTheRequest_AndOneGroupPerEndpoint()
    {
        var groups = new ForeignActivityGroups(ZeroCodeGrouping.Requests, _created.Add);
        await Task.Run(() =>
        {
            Guid first = RealActivityIds.Start(1);
            groups.OnRequestStart(new RequestStartEvent(0, 1, first, "GET", "/orders/17"));
            var orders = Assert.Single(_created);
            Assert.Equal("GET /orders/{id}", orders.Name);

            // An HttpClient call or an Activity inside the request: a child id, and its child.
            Guid nested = RealActivityIds.Start(2);
            Guid deeper = RealActivityIds.Start(3);
            Assert.Equal(orders.Id, groups.Resolve(first));
            Assert.Equal(orders.Id, groups.Resolve(nested));
            Assert.True(groups.TryResolve(Sample(deeper), out int resolved));
            Assert.Equal(orders.Id, resolved);
            RealActivityIds.Stop(3);
            RealActivityIds.Stop(2);
            RealActivityIds.Stop(1);
            groups.OnStop(new ScopeStopEvent(1, first));

            // Another order: same endpoint, same group, nothing new announced.
            Guid second = RealActivityIds.Start(4);
            groups.OnRequestStart(new RequestStartEvent(2, 1, second, "GET", "/orders/18"));
            Assert.Single(_created);
            Assert.Equal(orders.Id, groups.Resolve(second));
            RealActivityIds.Stop(4);

            Guid report = RealActivityIds.Start(5);
            groups.OnRequestStart(new RequestStartEvent(3, 1, report, "GET", "/report"));
            Assert.Equal(2, _created.Count);
            Assert.Equal(_created[1].Id, groups.Resolve(report));
            Assert.NotEqual(orders.Id, _created[1].Id);
            Assert.Contains(("kind", "request"), _created[1].Tags);
            RealActivityIds.Stop(5);

            // A scope the session never saw start is nobody's request: it stays foreign.
            Guid unseen = RealActivityIds.Start(6);
            Assert.False(groups.TryResolve(Sample(unseen), out _));
            RealActivityIds.Stop(6);
        });

        Assert.False(groups.TryResolve(Sample(EventContract.ActivityIds.Encode(3)), out _));
        Assert.False(groups.TryResolve(Sample(Guid.NewGuid()), out _));
    }

    [Fact]
    public async Task Resolve_GivesTheInnermostFollowedActivity_WithActivities()
    {
        var groups = new ForeignActivityGroups(ZeroCodeGrouping.Activities, _created.Add, new HashSet<string> { "app" });
        await Task.Run(() =>
        {
            Guid outer = RealActivityIds.Start(1);
            groups.OnActivityStart(new ActivityStartEvent(0, 1, outer, "app", "import"));
            Guid inner = RealActivityIds.Start(2);
            groups.OnActivityStart(new ActivityStartEvent(0, 1, inner, "app", "parse"));
            Guid ignored = RealActivityIds.Start(3);
            groups.OnActivityStart(new ActivityStartEvent(0, 1, ignored, "System.Net.Http", "System.Net.Http.HttpRequestOut"));
            Assert.Equal(["import", "parse"], _created.Select(g => g.Name));

            Assert.Equal(_created[0].Id, groups.Resolve(outer));
            Assert.Equal(_created[1].Id, groups.Resolve(inner));
            Assert.Equal(_created[1].Id, groups.Resolve(ignored)); // an unfollowed source's Activity counts to the innermost followed one
            Assert.Contains(("source", "app"), _created[1].Tags);
            RealActivityIds.Stop(3);
            RealActivityIds.Stop(2);
            RealActivityIds.Stop(1);
        });
    }

    [Fact]
    public async Task OnRequestStart_SendsNamesBeyondTheCapToTheOverflowRow()
    {
        var groups = new ForeignActivityGroups(ZeroCodeGrouping.Requests, _created.Add, maxGroups: 2);
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

            Assert.Equal(2, _created.Count);
            Assert.Equal(_created.Select(g => g.Id), ids.Take(2));
            Assert.All(ids.Skip(2), id => Assert.Equal(GroupIds.Overflow, id));
            Assert.Equal(2, groups.OverflowStarts);
        });
    }

    [Fact]
    public void OnRequestStart_CountsStartsWithoutAnActivityPath()
    {
        var groups = new ForeignActivityGroups(ZeroCodeGrouping.Requests, _created.Add);
        groups.OnRequestStart(new RequestStartEvent(0, 1, Guid.Empty, "GET", "/a"));
        Assert.Empty(_created);
        Assert.Equal(1, groups.StartsWithoutPath);
    }

    private static AllocationSampleEvent Sample(Guid activityId) =>
        new(0, 1, SampleKind.Randomized, "System.Byte[]", 0x1000, 100, 0, activityId);
}
