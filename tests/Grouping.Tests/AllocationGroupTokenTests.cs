namespace TrackingProfiler.Grouping.Tests;

public class AllocationGroupTokenTests
{
    [Fact]
    public void Register_AssignsDistinctIncreasingIds_WhenCalledWithTheSameName()
    {
        var a = AllocationGroupToken.Register("same");
        var b = AllocationGroupToken.Register("same");
        Assert.NotEqual(a.Id, b.Id);
        Assert.True(b.Id.Value > a.Id.Value);
        Assert.False(a.Id.IsRoot);
    }

    [Fact]
    public void Root_HasIdZero_WhenCompared()
    {
        Assert.Equal(0, AllocationGroupId.Root.Value);
        Assert.True(AllocationGroupId.Root.IsRoot);
        Assert.Equal("root", AllocationGroupId.Root.ToString());
    }

    [Fact]
    public void Register_KeepsNameAndTagsInOrder_WhenTagsAreGiven()
    {
        var token = AllocationGroupToken.Register("orders", ("tier", "api"), ("region", "eu"));
        Assert.Equal("orders", token.Name);
        Assert.Equal([("tier", "api"), ("region", "eu")], token.Tags);
    }

    [Fact]
    public void Register_CopiesTags_WhenTheCallersArrayChangesLater()
    {
        var tags = new[] { ("k", "v") };
        var token = AllocationGroupToken.Register("copy", tags);
        tags[0] = ("k", "changed");
        Assert.Equal("v", token.Tags[0].Value);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Register_Throws_WhenNameIsEmpty(string? name)
    {
        Assert.Throws<ArgumentException>(() => AllocationGroupToken.Register(name!));
    }

    [Fact]
    public void Register_Throws_WhenATagValueIsNull()
    {
        Assert.Throws<ArgumentException>(() => AllocationGroupToken.Register("bad", ("k", null!)));
    }

    [Fact]
    public void RegisteredGroups_ContainsEveryToken_WhenRegistered()
    {
        var token = AllocationGroupToken.Register("listed");
        Assert.Contains(token, AllocationRegistry.RegisteredGroups);
    }

    [Fact]
    public void Ids_AreUnique_WhenManyThreadsRegisterAtOnce()
    {
        var tokens = new System.Collections.Concurrent.ConcurrentBag<AllocationGroupToken>();
        Parallel.For(0, 1000, i => tokens.Add(AllocationGroupToken.Register($"parallel-{i}")));
        Assert.Equal(1000, tokens.Select(t => t.Id).Distinct().Count());
    }
}
