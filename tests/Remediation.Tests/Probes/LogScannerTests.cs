using Remediation.Probes;
using Xunit;

namespace Remediation.Tests.Probes;

[Trait("Category", "Unit")]
public sealed class LogScannerTests
{
    private const string Log = "/var/log/odoo/odoo-server.log";
    private readonly LogScanner _scanner = new();

    [Fact]
    public async Task MeasureAsync_WcOutput_ReturnsLength()
    {
        // Arrange: captured from the fixture.
        var session = new ScriptedSession().On($"/usr/bin/wc -c {Log}", 0, $"871 {Log}\n");

        // Act
        long length = await _scanner.MeasureAsync(session, Log, CancellationToken.None);

        // Assert
        Assert.Equal(871, length);
    }

    [Fact]
    public async Task MeasureAsync_NoSuchFile_Zero()
    {
        // Arrange: captured from the fixture.
        var session = new ScriptedSession().On("/usr/bin/wc -c /var/log/odoo/missing.log", 1, "", "/usr/bin/wc: /var/log/odoo/missing.log: No such file or directory\n");

        // Act
        long length = await _scanner.MeasureAsync(session, "/var/log/odoo/missing.log", CancellationToken.None);

        // Assert
        Assert.Equal(0, length);
    }

    [Fact]
    public async Task MeasureAsync_PermissionDenied_ThrowsWithStderr()
    {
        // Arrange: captured from the fixture.
        var session = new ScriptedSession().On("/usr/bin/wc -c /root/x", 1, "", "/usr/bin/wc: /root/x: Permission denied\n");

        // Act
        var error = await Assert.ThrowsAsync<IOException>(() => _scanner.MeasureAsync(session, "/root/x", CancellationToken.None));

        // Assert
        Assert.Contains("Permission denied", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MeasureAsync_RelativePath_Throws()
    {
        // Arrange
        var session = new ScriptedSession();

        // Act / Assert
        await Assert.ThrowsAsync<ArgumentException>(() => _scanner.MeasureAsync(session, "odoo.log", CancellationToken.None));
        Assert.Empty(session.Ran);
    }

    [Fact]
    public async Task ScanSinceAsync_NewLines_CountsErrorLevelsOnly()
    {
        // Arrange
        string appended =
            "2026-11-25 11:20:00,001 7024 INFO odoo_production odoo.modules.loading: 0 errors while loading\n"
            + "2026-11-25 11:20:01,002 7024 ERROR odoo_production odoo.http: Exception during request handling.\n"
            + "Traceback (most recent call last):\n"
            + "2026-11-25 11:20:02,003 7024 CRITICAL odoo_production odoo.service.server: Failed to initialize database\n"
            + "2026-11-25 11:20:03,004 7024 WARNING odoo_production odoo.models: ERRORS_FIELD is deprecated\n"
            + "2026-11-25 11:20:04.005 UTC [88] FATAL:  terminating connection due to administrator command\n"
            + "2026-11-25 11:20:04.105 UTC [91] odoo@odoo_production FATAL:  the database system is shutting down\n"
            + "2026-11-25 11:20:04.155 UTC [93] remediation@odoo_production FATAL:  canceling authentication due to timeout\n"
            + "2026-11-25 11:20:04.205 UTC [92] FATAL:  password authentication failed for user \"odoo\"\n"
            + "2026/11/25 11:20:05 [error] 31#31: *1 connect() failed (111: Connection refused) while connecting to upstream\n"
            + "2026/11/25 11:20:06 [warn] 31#31: *2 an upstream response is buffered to a temporary file\n";
        var session = new ScriptedSession()
            .On($"/usr/bin/wc -c {Log}", 0, $"1871 {Log}\n")
            .On($"/usr/bin/tail -c +1001 {Log}", 0, appended);

        // Act
        LogScan scan = await _scanner.ScanSinceAsync(session, Log, 1000, CancellationToken.None);

        // Assert
        Assert.Equal(4, scan.ErrorLineCount);
        Assert.Equal(3, scan.RestartNotices);
        Assert.Equal(1000, scan.FromOffset);
        Assert.Equal(appended.Length, scan.BytesRead);
        Assert.False(scan.Rotated);
        Assert.False(scan.Incomplete);
        Assert.StartsWith("2026-11-25 11:20:01,002 7024 ERROR", scan.FirstErrorLines[0], StringComparison.Ordinal);
        Assert.Contains("password authentication failed", scan.FirstErrorLines[2], StringComparison.Ordinal);
        Assert.Contains("[error]", scan.FirstErrorLines[3], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScanSinceAsync_NothingAppended_ReadsNothing()
    {
        // Arrange
        var session = new ScriptedSession()
            .On($"/usr/bin/wc -c {Log}", 0, $"871 {Log}\n")
            .On($"/usr/bin/tail -c +872 {Log}", 0, "");

        // Act
        LogScan scan = await _scanner.ScanSinceAsync(session, Log, 871, CancellationToken.None);

        // Assert: the length and the read go out side by side (one round trip); the read found nothing.
        Assert.Equal(new LogScan(Log, 871, 0, 0, scan.FirstErrorLines, false), scan);
        Assert.Empty(scan.FirstErrorLines);
        Assert.Equal([$"/usr/bin/wc -c {Log}", $"/usr/bin/tail -c +872 {Log}"], session.Ran);
    }

    [Fact]
    public async Task ScanSinceAsync_FileShorterThanOffset_ScansFromZeroAsRotated()
    {
        // Arrange
        var session = new ScriptedSession()
            .On($"/usr/bin/wc -c {Log}", 0, $"60 {Log}\n")
            .On($"/usr/bin/tail -c +1 {Log}", 0, "2026-11-25 11:21:00,000 9000 ERROR ? odoo: after rotation\n");

        // Act
        LogScan scan = await _scanner.ScanSinceAsync(session, Log, 5000, CancellationToken.None);

        // Assert
        Assert.True(scan.Rotated);
        Assert.Equal(0, scan.FromOffset);
        Assert.Equal(1, scan.ErrorLineCount);
    }

    [Fact]
    public async Task ScanSinceAsync_FileGone_EmptyAndRotated()
    {
        // Arrange
        var session = new ScriptedSession().On($"/usr/bin/wc -c {Log}", 1, "", $"/usr/bin/wc: {Log}: No such file or directory\n");

        // Act
        LogScan scan = await _scanner.ScanSinceAsync(session, Log, 871, CancellationToken.None);

        // Assert
        Assert.True(scan.Rotated);
        Assert.Equal(0, scan.BytesRead);
    }

    [Fact]
    public async Task ScanSinceAsync_OutputTruncated_ContinuesFromLastWholeLine()
    {
        // Arrange: the first pass is cut in the middle of the second line.
        var session = new ScriptedSession()
            .On($"/usr/bin/wc -c {Log}", 0, $"37 {Log}\n")
            .On($"/usr/bin/tail -c +1 {Log}", 0, "a ERROR one\nb ERR", truncated: true)
            .On($"/usr/bin/tail -c +13 {Log}", 0, "b ERROR two\nc INFO three\n");

        // Act
        LogScan scan = await _scanner.ScanSinceAsync(session, Log, 0, CancellationToken.None);

        // Assert
        Assert.Equal(2, scan.ErrorLineCount);
        Assert.Equal(["a ERROR one", "b ERROR two"], scan.FirstErrorLines);
        Assert.Equal(37, scan.BytesRead);
        Assert.False(scan.Incomplete);
    }

    [Fact]
    public async Task ScanSinceAsync_ManyErrors_KeepsFirstTenCountsAll()
    {
        // Arrange
        string appended = string.Concat(Enumerable.Range(1, 25).Select(i => $"x ERROR number {i}\n"));
        var session = new ScriptedSession()
            .On($"/usr/bin/wc -c {Log}", 0, $"{appended.Length} {Log}\n")
            .On($"/usr/bin/tail -c +1 {Log}", 0, appended);

        // Act
        LogScan scan = await _scanner.ScanSinceAsync(session, Log, 0, CancellationToken.None);

        // Assert
        Assert.Equal(25, scan.ErrorLineCount);
        Assert.Equal(LogScanner.MaxErrorLines, scan.FirstErrorLines.Count);
        Assert.Equal("x ERROR number 10", scan.FirstErrorLines[^1]);
    }

    [Theory]
    [InlineData("2026-11-25 11:20:01,002 7024 ERROR odoo_production odoo.http: boom", true)]
    [InlineData("2026-11-25 11:20:01.002 UTC [88] PANIC:  could not write", true)]
    [InlineData("2026/11/25 11:20:05 [emerg] 1#1: bind() failed", true)]
    [InlineData("2026/11/25 11:20:05 [crit] 1#1: SSL_do_handshake() failed", true)]
    [InlineData("2026/11/25 11:20:05 [alert] 1#1: worker process exited", true)]
    [InlineData("2026-11-25 11:20:01,002 7024 INFO odoo_production odoo: 0 errors", false)]
    [InlineData("2026-11-25 11:20:01,002 7024 INFO odoo_production odoo: ERROR_CODE=3", false)]
    [InlineData("2026/11/25 11:20:05 [notice] 1#1: signal process started", false)]
    public void IsErrorLine_Line_Classified(string line, bool expected)
    {
        // Act
        bool isError = LogScanner.IsErrorLine(line);

        // Assert
        Assert.Equal(expected, isError);
    }
}
