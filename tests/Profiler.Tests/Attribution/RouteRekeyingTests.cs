using TrackingProfiler.Profiler.Attribution;
using TrackingProfiler.Profiler.Events;
using TrackingProfiler.Profiler.Reports;
using TrackingProfiler.Profiler.Stacks;
using TrackingProfiler.Profiler.Tracking;

namespace TrackingProfiler.Profiler.Tests.Attribution;

/// <summary>
/// Requests that start before their route template is known (the metric that carries it is published once per
/// interval) are grouped by folded path first; when the template arrives, those groups merge into the template's,
/// through the attributor to every tracker, so that the report has one row per route with all its samples.
/// </summary>
public class RouteRekeyingTests
{
    private const long Size = 10_000;

    [Fact]
    public async Task SamplesBeforeAndAfterTheTemplateArrives_EndInTheTemplatesGroup()
    {
        var pipeline = new Pipeline();
        await Task.Run(() =>
        {
            // Before any template: one group per name (nothing id-like to fold), and /orders/17 folded to {id}.
            Guid alice = pipeline.Request(1, "/users/by-name/alice", samples: 3, address: 0x1000);
            Guid bob = pipeline.Request(2, "/users/by-name/bob", samples: 2, address: 0x2000);
            pipeline.Request(3, "/orders/17", samples: 1, address: 0x3000);
            pipeline.Request(4, "/report", samples: 1, address: 0x4000);
            Assert.Contains(pipeline.Created, g => g.Name == "GET /users/by-name/alice");
            Assert.Contains(pipeline.Created, g => g.Name == "GET /orders/{id}");

            // The first publication: the templates of the routes hit so far.
            pipeline.Template("GET", "/users/by-name/{name}");
            pipeline.Template("GET", "/orders/{id:int}");
            pipeline.Template("GET", "/report");
            pipeline.Template("GET", "/users/by-name/{name}"); // published again each interval: nothing new

            // Work a request left running (fire and forget) still carries its old id; new requests match at once.
            pipeline.Sample(alice, 0x1800);
            pipeline.Request(5, "/users/by-name/carol", samples: 2, address: 0x5000);
            pipeline.Sample(bob, 0x2800);
        });

        var groups = pipeline.Aggregation.Snapshot(processId: 1);
        var byName = Assert.Single(groups, g => g.Name.StartsWith("GET /users/by-name/", StringComparison.Ordinal));
        Assert.Equal("GET /users/by-name/{name}", byName.Name);
        Assert.Equal(3 + 2 + 1 + 2 + 1, byName.Samples);
        Assert.InRange(byName.EstimatedBytes, (9 * SampleWeight.Of(Size)) - 1, (9 * SampleWeight.Of(Size)) + 1);
        Assert.Contains(byName.Tags, t => t.Key == "route" && t.Value == "/users/by-name/{name}");
        Assert.Equal(1, Assert.Single(groups, g => g.Name == "GET /orders/{id:int}").Samples);
        Assert.DoesNotContain(groups, g => g.Name == "GET /orders/{id}");

        // "/report" folds to its own template's name: that group simply became the route's, nothing was merged.
        var report = Assert.Single(groups, g => g.Name == "GET /report");
        Assert.Equal(1, report.Samples);
        Assert.Equal(pipeline.Created.First(g => g.Name == "GET /report").Id, report.Id);
        Assert.Equal(3, pipeline.Groups.RouteTemplatesLearned);
        Assert.Equal(3, pipeline.Groups.GroupsMerged); // alice, bob, orders/{id}
        Assert.Equal(0, pipeline.Groups.GroupsNamedByPath);
        Assert.Equal(3, pipeline.Groups.GroupsNamedByTemplate);

        // The call-path tracker folded the merged groups too.
        var withPaths = pipeline.CallPaths.AddCallPaths(groups, new MethodAddressMap());
        Assert.Equal(9, withPaths.Single(g => g.Id == byName.Id).CallPaths!.Sum(p => p.Samples));
    }

    [Fact]
    public async Task FreesOfObjectsSampledBeforeTheMerge_CountToTheTemplatesGroup()
    {
        var pipeline = new Pipeline();
        await Task.Run(() =>
        {
            pipeline.Request(1, "/users/by-name/alice", samples: 2, address: 0x1000);
            pipeline.Template("GET", "/users/by-name/{name}");

            // A gen0 GC in which nothing of ours survives: both objects, sampled under the folded group, die.
            pipeline.Attributor.OnGcStart(new GcStartEvent(10, 1, 1, 0, GcKind.NonConcurrent));
            pipeline.Attributor.OnSurvivingRange(new SurvivingRangeEvent(11, 1, 0x90_0000, 0x100));
            pipeline.Attributor.OnGcEnd(new GcEndEvent(12, 1, 1, 0));
        });

        var groups = pipeline.Aggregation.Snapshot(processId: 1);
        var group = Assert.Single(groups, g => g.Name.StartsWith("GET /users/", StringComparison.Ordinal));
        Assert.InRange(group.FreedBytes!.Value, (2 * SampleWeight.Of(Size)) - 1, (2 * SampleWeight.Of(Size)) + 1);
        Assert.Equal(0, group.LiveBytes);
        Assert.DoesNotContain(groups, g => g.Name.StartsWith("(group", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FoldedGroups_StayFolded_WhenNoTemplateCoversThem()
    {
        var pipeline = new Pipeline();
        await Task.Run(() =>
        {
            pipeline.Request(1, "/static/app.js", samples: 1, address: 0x1000);
            pipeline.Request(2, "/orders/9f86d081884c7d65", samples: 1, address: 0x2000);
            pipeline.Template("GET", "/orders/{id:int}"); // a hex id is no int: not this route
            pipeline.Template("GET", "/docs/{name}.{ext}"); // complex: never matched
        });

        var names = pipeline.Aggregation.Snapshot(processId: 1).Select(g => g.Name).ToArray();
        Assert.Contains("GET /static/app.js", names);
        Assert.Contains("GET /orders/{id}", names);
        Assert.Equal(2, pipeline.Groups.GroupsNamedByPath);
        Assert.Equal(0, pipeline.Groups.GroupsMerged);
    }

    [Fact]
    public async Task Merging_FreesThePlaceOfTheFoldedGroupsUnderTheCap()
    {
        var pipeline = new Pipeline(maxGroups: 3);
        await Task.Run(() =>
        {
            pipeline.Request(1, "/users/by-name/a", samples: 1, address: 0x1000);
            pipeline.Request(2, "/users/by-name/b", samples: 1, address: 0x2000);
            pipeline.Request(3, "/users/by-name/c", samples: 1, address: 0x3000);
            pipeline.Template("GET", "/users/by-name/{name}");
            pipeline.Request(4, "/users/by-name/d", samples: 1, address: 0x4000);
            pipeline.Request(5, "/other", samples: 1, address: 0x5000);
        });

        var groups = pipeline.Aggregation.Snapshot(processId: 1);
        Assert.Equal(4, Assert.Single(groups, g => g.Name == "GET /users/by-name/{name}").Samples);
        Assert.Equal(1, Assert.Single(groups, g => g.Name == "GET /other").Samples);
        Assert.Equal(0, pipeline.Groups.OverflowStarts);
    }

    /// <summary>The session's wiring: requests and templates into the groups, merges into the attributor, samples through it.</summary>
    private sealed class Pipeline
    {
        private double _time;

        public Pipeline(int maxGroups = 200)
        {
            Aggregation = new GroupAggregationTracker(freesTracked: true);
            CallPaths = new CallPathTracker();
            Groups = new ForeignActivityGroups(
                ZeroCodeGrouping.Requests,
                info =>
                {
                    Created.Add(info);
                    Aggregation.GroupRegistered(info);
                },
                maxGroups: maxGroups,
                merged: merge => Attributor!.OnGroupsMerged(merge));
            Attributor = new AllocationAttributor([Aggregation, CallPaths], SessionStart.Attached, trackFrees: true, Groups);
        }

        public GroupAggregationTracker Aggregation { get; }

        public CallPathTracker CallPaths { get; }

        public ForeignActivityGroups Groups { get; }

        public AllocationAttributor Attributor { get; }

        public List<GroupInfo> Created { get; } = [];

        /// <summary>A whole request: its start (a real ActivityTracker id), its samples, its stop.</summary>
        public Guid Request(int n, string path, int samples, ulong address)
        {
            Guid id = RealActivityIds.Start(n);
            Groups.OnRequestStart(new RequestStartEvent(_time++, 1, id, "GET", path));
            for (int i = 0; i < samples; i++)
            {
                Sample(id, address + ((ulong)i * 0x100));
            }

            RealActivityIds.Stop(n);
            Groups.OnStop(new ScopeStopEvent(_time++, id));
            return id;
        }

        public void Sample(Guid activityId, ulong address) =>
            Attributor.OnAllocationSample(new AllocationSampleEvent(_time++, 1, SampleKind.Randomized, "System.Byte[]", address, Size, 0, activityId));

        public void Template(string method, string route) => Groups.OnRouteTemplate(new RouteTemplateEvent(_time++, method, route));
    }
}
