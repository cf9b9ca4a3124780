using System.Text;
using TrackingProfiler.Cli.Rendering;
using TrackingProfiler.Profiler.Session;

namespace TrackingProfiler.Cli.Commands;

/// <summary>
/// Turns the expected failures of any command into one clear line and a documented exit code. Expected failures are
/// <see cref="ProfilerException"/>s whose kind names the code; anything else is a bug and says so (exit 70).
/// </summary>
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
        catch (OperationCanceledException)
        {
            return Fail(console, "interrupted.", ExitCodes.Interrupted);
        }
        catch (Exception e)
        {
            // A bug, not a user error (an I/O error nobody mapped to its code is one too): still one line, with what is needed to report it.
            return Fail(console, $"internal error ({e.GetType().Name}: {e.Message.ReplaceLineEndings(" ").Trim()}). Please report it.", ExitCodes.InternalError);
        }
    }

    public static int Fail(IConsole console, string message, int exitCode)
    {
        console.Error.WriteLine($"dotnet-alloctrack: {OneLine(message)}");
        return exitCode;
    }

    /// <summary>
    /// Keeps a message on one line and harmless on a terminal: it may quote a file's content or a group name
    /// (untrusted), so control characters are shown as <c>\u001b</c> instead of being sent to the terminal.
    /// </summary>
    public static string OneLine(string message)
    {
        var line = new StringBuilder(message.Length);
        foreach (char c in message)
        {
            if (char.IsControl(c) || c is '\u2028' or '\u2029')
            {
                line.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                line.Append(c);
            }
        }

        return line.ToString();
    }
}
