using Microsoft.Diagnostics.Tracing;
using TrackingProfiler.Profiler.Attribution;

namespace TrackingProfiler.Profiler.Tests.Attribution;

public class ActivityPathTests
{
    [Fact]
    public async Task TryDecode_ReadsRuntimeIdsAsTraceEventDoes_ForImmediateOneAndTwoByteNumbers()
    {
        // Top-level scopes (what each ASP.NET Core request is) get numbers from one process-wide counter.
        // Run in a flow of its own so the ids (AsyncLocal) do not leak into other tests.
        await Task.Run(() =>
        {
            var seen = new HashSet<string>();
            for (int i = 1; i <= 5000; i++)
            {
                Guid id = RealActivityIds.Start(i);
                string path = ActivityPath.TryDecode(id)!;
                if (i is <= 12 or 255 or 256 or 4095 or 4096 or 5000)
                {
                    Assert.Equal(TraceEventPath(id), path);
                }

                Assert.True(seen.Add(path), $"{path} seen twice");
                RealActivityIds.Stop(i);
            }
        });
    }

    [Fact]
    public async Task Parent_OfTheRuntimesSharedIdForLaterChildren_IsStillTheirParent()
    {
        // Found here: from its 11th child on, a scope whose path ends on a byte boundary gives all its children one and
        // the same id (/…/0/; TraceEvent reads it the same). Siblings are then indistinguishable, but the parent is right,
        // so work under a request still resolves to the request.
        await Task.Run(() =>
        {
            Guid parent = RealActivityIds.Start(0);
            string parentPath = ActivityPath.TryDecode(parent)!;
            var children = new HashSet<Guid>();
            for (int i = 1; i <= 40; i++)
            {
                Guid child = RealActivityIds.Start(i);
                Assert.Equal(parentPath, ActivityPath.Parent(ActivityPath.TryDecode(child)!));
                Assert.Equal(TraceEventPath(child), ActivityPath.TryDecode(child));
                children.Add(child);
                RealActivityIds.Stop(i);
            }

            Assert.InRange(children.Count, 11, 40);
            RealActivityIds.Stop(0);
        });
    }

    [Fact]
    public async Task Parent_WalksUpToTheOutermostScope_ThroughDeepNesting()
    {
        await Task.Run(() =>
        {
            var ids = new List<Guid>();
            for (int depth = 0; depth < 30; depth++)
            {
                ids.Add(RealActivityIds.Start(depth));
            }

            string outer = ActivityPath.TryDecode(ids[0])!;
            int hierarchical = 0;
            foreach (var id in ids)
            {
                string? path = ActivityPath.TryDecode(id);
                Assert.NotNull(path);
                Assert.Equal(TraceEventPath(id), path);
                if (!path.Contains('$', StringComparison.Ordinal))
                {
                    // Every hierarchical id descends from the outermost scope.
                    hierarchical++;
                    string? up = path;
                    while (up is not null && up != outer)
                    {
                        up = ActivityPath.Parent(up);
                    }

                    Assert.Equal(outer, up);
                }
            }

            // 12 bytes hold a few levels only; deeper ids are overflow ids, which carry no nesting.
            Assert.InRange(hierarchical, 5, 29);
            for (int depth = 29; depth >= 0; depth--)
            {
                RealActivityIds.Stop(depth);
            }
        });
    }

    /// <summary>TraceEvent's reading, without the <c>/#pid</c> it recovers from the checksum.</summary>
    private static string TraceEventPath(Guid id) =>
        System.Text.RegularExpressions.Regex.Replace(StartStopActivityComputer.ActivityPathString(id), @"^/#\d+", string.Empty);

    [Fact]
    public void TryDecode_RejectsIdsThatAreNotActivityPaths()
    {
        Assert.Null(ActivityPath.TryDecode(Guid.Empty));
        Assert.Null(ActivityPath.TryDecode(Guid.Parse("0b3ed6a9-1d3e-4c6c-9f55-3a8b9c0e7d21")));
        Assert.Null(ActivityPath.TryDecode(EventContract.ActivityIds.Encode(7)));
    }
}
