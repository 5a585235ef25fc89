using Remediation.Inventory;
using Remediation.Probes;
using Remediation.Ssh;
using Remediation.Tests.Fixture;
using Remediation.Tests.Ssh;
using Xunit;

namespace Remediation.Tests.Probes;

/// <summary>
/// The scanner over real SSH as ops, on the Odoo log and on scratch logs this test writes as root into
/// /var/log/odoo (setgid adm, so ops can read them like the real log).
/// </summary>
[Collection(TargetHostCollection.Name)]
[Trait("Category", "EndToEnd")]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class LogScannerEndToEndTests : IDisposable
{
    private readonly TargetHostFixture _fixture;
    private readonly TargetDefinition _target;
    private readonly string _scratch = $"/var/log/odoo/scan-test-{Guid.NewGuid():N}.log";
    private readonly LogScanner _scanner = new();

    public LogScannerEndToEndTests(TargetHostFixture fixture)
    {
        _fixture = fixture;
        _target = FixtureTarget.From(fixture.Facts);
    }

    public void Dispose() => File.Delete(_scratch);

    [Fact]
    public async Task MeasureAsync_OdooLog_LengthAsOnDisk()
    {
        // Arrange
        await using ISshSession session = await FixtureTarget.Connector().ConnectAsync(_target, CancellationToken.None);
        long before = _fixture.OdooLogLength();

        // Act
        long measured = await _scanner.MeasureAsync(session, _fixture.Facts.OdooLog, CancellationToken.None);

        // Assert: the log may grow while we measure, never shrink (unless rotated, which the fixture does not do).
        Assert.InRange(measured, before, _fixture.OdooLogLength());
        Assert.True(measured > 0);
    }

    [Fact]
    public async Task ScanSinceAsync_LinesAppendedAfterMeasure_CountsOnlyNewErrors()
    {
        // Arrange
        WriteScratch(
            "2026-11-25 11:00:00,000 100 ERROR odoo_production odoo.http: old error, before the measure\n",
            FileMode.Create);
        await using ISshSession session = await FixtureTarget.Connector().ConnectAsync(_target, CancellationToken.None);
        long offset = await _scanner.MeasureAsync(session, _scratch, CancellationToken.None);
        WriteScratch(
            "2026-11-25 11:00:01,000 100 INFO odoo_production odoo.modules.loading: 0 errors, all good\n"
            + "2026-11-25 11:00:02,000 100 ERROR odoo_production odoo.http: new error one\n"
            + "2026-11-25 11:00:03,000 100 CRITICAL odoo_production odoo.service.server: new error two\n",
            FileMode.Append);

        // Act
        LogScan scan = await _scanner.ScanSinceAsync(session, _scratch, offset, CancellationToken.None);

        // Assert
        Assert.Equal(new FileInfo(_scratch).Length, scan.EndOffset);
        Assert.Equal(2, scan.ErrorLineCount);
        Assert.False(scan.Rotated);
        Assert.EndsWith("new error one", scan.FirstErrorLines[0], StringComparison.Ordinal);
        Assert.EndsWith("new error two", scan.FirstErrorLines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScanSinceAsync_FileTruncatedAfterMeasure_ScansFromZeroAndSaysRotated()
    {
        // Arrange
        WriteScratch(string.Concat(Enumerable.Repeat("2026-11-25 11:00:00,000 100 INFO odoo_production odoo: filler line\n", 50)), FileMode.Create);
        await using ISshSession session = await FixtureTarget.Connector().ConnectAsync(_target, CancellationToken.None);
        long offset = await _scanner.MeasureAsync(session, _scratch, CancellationToken.None);
        WriteScratch("2026-11-25 11:05:00,000 200 ERROR odoo_production odoo: first line of the new file\n", FileMode.Create);

        // Act
        LogScan scan = await _scanner.ScanSinceAsync(session, _scratch, offset, CancellationToken.None);

        // Assert
        Assert.True(scan.Rotated);
        Assert.Equal(0, scan.FromOffset);
        Assert.Equal(1, scan.ErrorLineCount);
    }

    [Fact]
    public async Task ScanSinceAsync_MoreThanOneOutputCap_ReadsInPassesWithoutLosingLines()
    {
        // Arrange: 2,000 lines (≈ 150 KB) with an error every 100th, through a 16 KiB output cap.
        var lines = Enumerable.Range(1, 2000).Select(i => i % 100 == 0
            ? $"2026-11-25 11:00:00,000 100 ERROR odoo_production odoo: error number {i:D5}\n"
            : $"2026-11-25 11:00:00,000 100 INFO odoo_production odoo: ordinary line {i:D5}\n");
        WriteScratch(string.Concat(lines), FileMode.Create);
        await using ISshSession session = await FixtureTarget.Connector(new SshOptions { MaxOutputBytes = 16 * 1024 }).ConnectAsync(_target, CancellationToken.None);

        // Act
        LogScan scan = await _scanner.ScanSinceAsync(session, _scratch, 0, CancellationToken.None);

        // Assert
        Assert.Equal(20, scan.ErrorLineCount);
        Assert.Equal(new FileInfo(_scratch).Length, scan.BytesRead);
        Assert.False(scan.Incomplete);
        Assert.EndsWith("error number 00100", scan.FirstErrorLines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task MeasureAsync_MissingFile_Zero()
    {
        // Arrange
        await using ISshSession session = await FixtureTarget.Connector().ConnectAsync(_target, CancellationToken.None);

        // Act
        long measured = await _scanner.MeasureAsync(session, _scratch, CancellationToken.None);

        // Assert
        Assert.Equal(0, measured);
    }

    [Fact]
    public async Task MeasureAsync_UnreadableFile_ThrowsWithPermissionDenied()
    {
        // Arrange: /etc/shadow exists and ops cannot read it... wc -c only needs to open it.
        await using ISshSession session = await FixtureTarget.Connector().ConnectAsync(_target, CancellationToken.None);

        // Act
        var error = await Assert.ThrowsAsync<IOException>(() => _scanner.MeasureAsync(session, "/etc/shadow", CancellationToken.None));

        // Assert
        Assert.Contains("Permission denied", error.Message, StringComparison.Ordinal);
    }

    private void WriteScratch(string text, FileMode mode)
    {
        using (var stream = new FileStream(_scratch, mode, FileAccess.Write, FileShare.ReadWrite))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(text);
        }

        // 0640 with the directory's setgid group (adm): readable by ops, like the real log.
        File.SetUnixFileMode(_scratch, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
    }
}
