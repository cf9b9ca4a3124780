namespace TrackingProfiler.Grouping.Tests;

public class SmokeTests
{
    [Fact]
    public void Register_AssignsDistinctIds_WhenCalledTwice()
    {
        var a = AllocationGroupToken.Register("a");
        var b = AllocationGroupToken.Register("a");
        Assert.NotEqual(a.Id, b.Id);
    }
}
