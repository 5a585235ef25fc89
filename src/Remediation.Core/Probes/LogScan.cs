namespace Remediation.Probes;

/// <summary>
/// What a log gained since an offset: how many bytes were read, how many of their lines are errors, the first few
/// of them, and whether the file had been rotated (then the scan started at 0 of the new file).
/// </summary>
/// <param name="Path">The log file on the target.</param>
/// <param name="FromOffset">Where the scan started: the measured offset, or 0 after a rotation.</param>
/// <param name="BytesRead">Bytes scanned (whole lines when the output had to be read in passes).</param>
/// <param name="ErrorLineCount">Lines with an error level (ERROR, CRITICAL, FATAL, PANIC, nginx [error] and worse).</param>
/// <param name="FirstErrorLines">The first error lines, at most <see cref="LogScanner.MaxErrorLines"/>, each cut to <see cref="LogScanner.MaxErrorLineLength"/>.</param>
/// <param name="Rotated">The file was shorter than the offset (or gone): it was rotated, and the scan read the new file from 0.</param>
/// <param name="Incomplete">More new bytes existed than one scan reads; the counts cover only <paramref name="BytesRead"/>.</param>
public sealed record LogScan(
    string Path,
    long FromOffset,
    long BytesRead,
    int ErrorLineCount,
    IReadOnlyList<string> FirstErrorLines,
    bool Rotated,
    bool Incomplete = false)
{
    /// <summary>Lines a restart itself writes (PostgreSQL refusing clients while it shuts down): not counted as errors.</summary>
    public int RestartNotices { get; init; }

    /// <summary>The first lines in which the service said it accepts connections (<see cref="LogScanner.IsReadyNotice"/>).</summary>
    public IReadOnlyList<string> ReadyNotices { get; init; } = [];

    /// <summary>Where the next scan should start.</summary>
    public long EndOffset => FromOffset + BytesRead;
}
