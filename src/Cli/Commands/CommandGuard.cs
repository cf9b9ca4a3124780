using TrackingProfiler.Cli.Rendering;
using TrackingProfiler.Profiler.Session;

namespace TrackingProfiler.Cli.Commands;

/// <summary>Turns the expected failures of any command into one clear line and a documented exit code.</summary>
internal static class CommandGuard
{
    public static async Task<int> RunAsync(IConsole console, Func<Task<int>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (ProfilerException e)
        {
            return Fail(console, e.Message, ExitCodes.From(e.Kind));
        }
        catch (InvalidDataException e)
        {
            return Fail(console, e.Message, ExitCodes.UsageError);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fail(console, e.Message, ExitCodes.UsageError);
        }
        catch (OperationCanceledException)
        {
            return Fail(console, "interrupted.", ExitCodes.Interrupted);
        }
        catch (Exception e)
        {
            // A bug, not a user error: still one line, with what is needed to report it.
            return Fail(console, $"internal error ({e.GetType().Name}: {e.Message}). Please report it.", ExitCodes.InternalError);
        }
    }

    public static int Fail(IConsole console, string message, int exitCode)
    {
        console.Error.WriteLine($"dotnet-alloctrack: {message}");
        return exitCode;
    }
}
