using TrackingProfiler.Grouping;
using Xunit;

namespace SampleTests;

public class AllocatingTests
{
    private static readonly AllocationGroupToken s_serializer = AllocationGroupToken.Register("serializer");

    [Fact]
    public void Serialize_AllocatesAKnownAmount()
    {
        object? sink = null;
        using (s_serializer.Enter())
        {
            for (int i = 0; i < 100; i++)
            {
                sink = new byte[100_000];
            }
        }

        Assert.NotNull(sink);
    }
}
