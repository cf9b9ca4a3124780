namespace TrackingProfiler.Profiler.Attribution;

/// <summary>Binary search over address ranges sorted by their start.</summary>
internal static class AddressSearch
{
    /// <summary>The index of the last range that starts at or before <paramref name="address"/>, or -1.</summary>
    public static int LastStartingAtOrBefore<T>(List<T> sortedRanges, ulong address, Func<T, ulong> start)
    {
        int low = 0, high = sortedRanges.Count - 1, found = -1;
        while (low <= high)
        {
            int mid = low + ((high - low) / 2);
            if (start(sortedRanges[mid]) <= address)
            {
                found = mid;
                low = mid + 1;
            }
            else
            {
                high = mid - 1;
            }
        }

        return found;
    }
}
