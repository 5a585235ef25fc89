using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Remediation.Ssh;

namespace Remediation.Probes;

/// <summary>
/// Measures a log on the target before a restart and scans what was appended afterwards for error lines
/// (runbook: "Check logs for errors"), over the activity's SSH session.
/// </summary>
public sealed partial class LogScanner
{
    /// <summary>Kept in a record per error line; the rest of a very long line adds nothing.</summary>
    public const int MaxErrorLineLength = 500;

    /// <summary>How many error lines a scan keeps (all are counted).</summary>
    public const int MaxErrorLines = 10;

    /// <summary>Per command (<c>wc</c>, <c>tail</c>); reading a log is quick unless the target is in trouble.</summary>
    public static readonly TimeSpan DefaultCommandTimeout = TimeSpan.FromSeconds(15);

    private readonly TimeSpan _commandTimeout;

    /// <summary>
    /// Each pass reads at most the session's output cap; a log that grew by more than this many passes is reported as
    /// <see cref="LogScan.Incomplete"/> instead of being read on and on.
    /// </summary>
    private const int MaxPasses = 16;

    public LogScanner()
        : this(DefaultCommandTimeout)
    {
    }

    public LogScanner(TimeSpan commandTimeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(commandTimeout, TimeSpan.Zero);
        _commandTimeout = commandTimeout;
    }

    /// <summary>Byte length of the file (<c>wc -c</c>); 0 when it does not exist (yet).</summary>
    /// <exception cref="IOException">The file exists but cannot be read (permissions), or wc failed otherwise.</exception>
    public async Task<long> MeasureAsync(ISshSession session, string path, CancellationToken cancellationToken) =>
        await TryMeasureAsync(session, path, cancellationToken) ?? 0;

    /// <summary>Error lines appended since <paramref name="offset"/> (from 0 if the file is now shorter: rotated).</summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public async Task<LogScan> ScanSinceAsync(ISshSession session, string path, long offset, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);

        // The length (to tell a rotated log) and the first read are independent round trips: run them side by side,
        // and throw the read away in the rare case the length says the log was rotated.
        Task<long?> measuring = TryMeasureAsync(session, path, cancellationToken);
        Task<CommandResult> firstRead = ReadFromAsync(session, path, offset, cancellationToken);
        long? size;
        try
        {
            size = await measuring;
        }
        finally
        {
            // Observed either way, so a failed read never goes unnoticed when the length already failed.
            await ((Task)firstRead).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        if (size is not { } length)
        {
            // Moved away by logrotate and not recreated yet: nothing new to read in a file that is not there.
            return new LogScan(path, 0, 0, 0, [], Rotated: offset > 0);
        }

        bool rotated = length < offset;
        long from = rotated ? 0 : offset;
        var counter = new ErrorLineCounter();
        long position = from;
        bool incomplete = false;
        int passes = 0;
        Task<CommandResult>? pending = rotated ? null : firstRead;
        while (position < length)
        {
            if (passes++ == MaxPasses)
            {
                incomplete = true;
                break;
            }

            CommandResult result = pending is not null
                ? await pending
                : await session.RunAsync(Tail(position, path), _commandTimeout, cancellationToken);
            pending = null;
            if (!result.Succeeded)
            {
                if (IsMissingFile(result))
                {
                    break;
                }

                throw new IOException($"Cannot read {path} on the target: {result.Summary()}");
            }

            string text = result.Stdout;
            if (result.OutputTruncated)
            {
                // Only whole lines count; the cut line is read again by the next pass.
                int lastNewline = text.LastIndexOf('\n');
                text = lastNewline >= 0 ? text[..(lastNewline + 1)] : text;
            }

            counter.Add(text);
            long read = Encoding.UTF8.GetByteCount(text);
            position += read;
            if (!result.OutputTruncated || read == 0)
            {
                break;
            }
        }

        return new LogScan(path, from, position - from, counter.Count, counter.FirstLines, rotated, incomplete) { RestartNotices = counter.RestartNotices, ReadyNotices = counter.ReadyNotices.ToArray() is { Length: > 0 } ready ? ready : [] };
    }

    private async Task<CommandResult> ReadFromAsync(ISshSession session, string path, long offset, CancellationToken cancellationToken) =>
        await session.RunAsync(Tail(offset, path), _commandTimeout, cancellationToken);

    /// <summary>How many of a failed service's last log lines are quoted.</summary>
    public const int QuotedLines = 10;

    /// <summary>
    /// A failed service's own last words: a header naming its first log, then that log's last <see cref="QuotedLines"/>
    /// lines (each cut to <see cref="MaxErrorLineLength"/>); empty when the service has no log.
    /// </summary>
    public async Task<IReadOnlyList<string>> QuoteLastLinesAsync(ISshSession session, IReadOnlyList<string> logFiles, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(logFiles);
        if (logFiles.Count == 0)
        {
            return [];
        }

        string path = logFiles[0];
        CommandResult result = await session.RunAsync(
            RemoteCommand.Run("/usr/bin/tail", "-n", QuotedLines.ToString(CultureInfo.InvariantCulture), path), _commandTimeout, cancellationToken);
        if (!result.Succeeded)
        {
            return [$"last lines of {path}:", $"({path} could not be read: {result.Summary()})"];
        }

        return [$"last lines of {path}:", .. result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.TrimEnd('\r'))
            .Select(l => l.Length > MaxErrorLineLength ? l[..MaxErrorLineLength] + "…" : l)];
    }

    /// <summary><c>tail -c +N</c> prints from byte N (1-based), i.e. everything after the first <paramref name="offset"/> bytes.</summary>
    private static RemoteCommand Tail(long offset, string path) =>
        RemoteCommand.Run("/usr/bin/tail", "-c", "+" + (offset + 1).ToString(CultureInfo.InvariantCulture), path);

    /// <summary>True for a line whose level is ERROR, CRITICAL, FATAL or PANIC, or an nginx [error]/[crit]/[alert]/[emerg].</summary>
    public static bool IsErrorLine(string line) => ErrorLine().IsMatch(line);

    /// <summary>
    /// PostgreSQL's FATALs that a restart itself causes — clients refused while it shuts down or starts, sessions ended by
    /// the fast shutdown. They are the restart's own footprint, not a fault: counted apart, never as errors.
    /// </summary>
    public static bool IsRestartNotice(string line) => RestartNotice().IsMatch(line);

    /// <summary>
    /// A service's own word that it accepts connections: Odoo's "HTTP service (werkzeug) running on host:port"
    /// (odoo.service.server, at start-up), PostgreSQL's "database system is ready to accept connections".
    /// </summary>
    public static bool IsReadyNotice(string line) => ReadyNotice().IsMatch(line);

    private async Task<long?> TryMeasureAsync(ISshSession session, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (string.IsNullOrWhiteSpace(path) || !path.StartsWith('/'))
        {
            throw new ArgumentException($"Log path '{path}' must be absolute.", nameof(path));
        }

        CommandResult result = await session.RunAsync(RemoteCommand.Run("/usr/bin/wc", "-c", path), _commandTimeout, cancellationToken);
        if (result.Succeeded)
        {
            // "1234 /var/log/odoo/odoo-server.log"
            string first = result.Stdout.TrimStart().Split(' ', 2)[0];
            if (long.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out long length))
            {
                return length;
            }

            throw new IOException($"Cannot read the length of {path} from `{result.Command}`: '{result.Stdout.Trim()}'.");
        }

        if (IsMissingFile(result))
        {
            return null;
        }

        throw new IOException($"Cannot measure {path} on the target: {result.Summary()}");
    }

    private static bool IsMissingFile(CommandResult result) =>
        result.ExitCode == 1 && result.Stderr.Contains("No such file or directory", StringComparison.Ordinal);

    // Case-sensitive on purpose: "ERROR" as a level word, not "0 errors" in a message. Odoo: "… 1234 ERROR db …",
    // PostgreSQL: "… ERROR:  …", "FATAL:", "PANIC:"; nginx: "… [error] 12#12: …".
    [GeneratedRegex(@"\b(?:ERROR|CRITICAL|FATAL|PANIC)\b|\[(?:error|crit|alert|emerg)\]")]
    private static partial Regex ErrorLine();

    // "canceling authentication due to timeout" is also what a backend still authenticating reports when the shutdown's
    // SIGTERM reaches it (postgres.c ProcessInterrupts, ProcDiePending while ClientAuthInProgress): a readiness probe caught mid-restart.
    [GeneratedRegex(@"FATAL:\s+(?:the database system is (?:shutting down|starting up|not yet accepting connections)|terminating connection due to administrator command|canceling authentication due to timeout)")]
    private static partial Regex RestartNotice();

    [GeneratedRegex(@"HTTP service \(werkzeug\) running on |database system is ready to accept connections")]
    private static partial Regex ReadyNotice();

    private sealed class ErrorLineCounter
    {
        private readonly List<string> _firstLines = [];
        private readonly List<string> _readyNotices = [];

        public int Count { get; private set; }

        public int RestartNotices { get; private set; }

        public IReadOnlyList<string> FirstLines => _firstLines;

        public IReadOnlyList<string> ReadyNotices => _readyNotices;

        public void Add(string text)
        {
            foreach (string line in text.Split('\n'))
            {
                if (IsReadyNotice(line) && _readyNotices.Count < MaxErrorLines)
                {
                    _readyNotices.Add(Cut(line.TrimEnd('\r')));
                    continue;
                }

                if (!IsErrorLine(line))
                {
                    continue;
                }

                if (IsRestartNotice(line))
                {
                    RestartNotices++;
                    continue;
                }

                Count++;
                if (_firstLines.Count < MaxErrorLines)
                {
                    _firstLines.Add(Cut(line.TrimEnd('\r')));
                }
            }
        }

        private static string Cut(string line) => line.Length > MaxErrorLineLength ? line[..MaxErrorLineLength] + "…" : line;
    }
}
