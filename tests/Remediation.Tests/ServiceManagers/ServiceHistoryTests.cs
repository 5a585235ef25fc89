using Remediation.Probes;
using Remediation.ServiceManagers;
using Remediation.Ssh;
using Xunit;

namespace Remediation.Tests.ServiceManagers;

/// <summary>
/// The managers' own records of a stop and the start after it: supervisord's log as supervisor 4.2 writes it (local
/// time, milliseconds: process.py's "waiting for %s to stop", "stopped: %s (%s)", "spawned: '%s' with pid %s",
/// "success: %s entered RUNNING state") and <c>systemctl show --timestamp=us+utc</c>'s properties.
/// </summary>
[Trait("Category", "Unit")]
public sealed class ServiceHistoryTests
{
    private static readonly TimeSpan PlusOne = TimeSpan.FromHours(1);

    private const string SupervisordLog = """
        2026-12-02 05:00:00,000 INFO spawned: 'odoo' with pid 100
        2026-12-02 05:00:01,002 INFO success: odoo entered RUNNING state, process has stayed up for > than 1 seconds (startsecs)
        2026-12-02 05:10:00,100 INFO waiting for nginx to stop
        2026-12-02 05:10:00,150 INFO stopped: nginx (exit status 0)
        2026-12-02 05:36:57,129 INFO waiting for odoo to stop
        2026-12-02 05:36:59,131 INFO waiting for odoo to stop
        2026-12-02 05:36:59,300 INFO stopped: odoo (terminated by SIGTERM)
        2026-12-02 05:36:59,310 INFO spawned: 'odoo' with pid 200
        2026-12-02 05:37:00,320 INFO success: odoo entered RUNNING state, process has stayed up for > than 1 seconds (startsecs)
        2026-12-02 05:50:00,000 INFO waiting for odoo to stop
        2026-12-02 05:50:00,100 INFO stopped: odoo (terminated by SIGTERM)
        """;

    [Fact]
    public void History_Supervisor_TailsSupervisordsLogWithoutSudo()
    {
        RemoteCommand command = SupervisorServiceManager.Instance.History("odoo");

        Assert.False(command.Sudo);
        Assert.Equal("/usr/bin/tail -n 200 /var/log/supervisor/supervisord.log", command.ToString());
    }

    [Fact]
    public void ParseHistory_SupervisorPreviousPidSpawned_TakesTheFirstStopAfterItInUtc()
    {
        ServiceHistory history = SupervisorServiceManager.Instance.ParseHistory("odoo", 100, Ok(SupervisordLog), PlusOne);

        // The first "waiting" of the run before the stop is when supervisord began stopping pid 100.
        Assert.Equal(Utc(4, 36, 57, 129), history.StopBeganUtc);
        Assert.Equal(Utc(4, 36, 59, 300), history.StoppedUtc);
        Assert.Equal(Utc(4, 36, 59, 310), history.SpawnedUtc);
        Assert.Equal(200, history.SpawnedPid);
        Assert.Equal(Utc(4, 37, 0, 320), history.RunningUtc);
        Assert.Equal("supervisord's log (local time, UTC+01:00)", history.Source);
        Assert.Equal("waiting for odoo to stop at 2026-12-02 05:36:57,129", history.Evidence[0]);
        Assert.Equal(4, history.Evidence.Count);
    }

    [Fact]
    public void ParseHistory_SupervisorStoppedAndNotStartedAgain_HasTheStopAndNoSpawn()
    {
        ServiceHistory history = SupervisorServiceManager.Instance.ParseHistory("odoo", 200, Ok(SupervisordLog), PlusOne);

        Assert.Equal(Utc(4, 50, 0, 0), history.StopBeganUtc);
        Assert.Equal(Utc(4, 50, 0, 100), history.StoppedUtc);
        Assert.Null(history.SpawnedUtc);
        Assert.Null(history.RunningUtc);
    }

    [Fact]
    public void ParseHistory_SupervisorPreviousPidRotatedAway_TakesTheLastStop()
    {
        ServiceHistory history = SupervisorServiceManager.Instance.ParseHistory("odoo", 42, Ok(SupervisordLog), TimeSpan.Zero);

        Assert.Equal(new DateTime(2026, 12, 2, 5, 50, 0, DateTimeKind.Utc), history.StopBeganUtc);
        Assert.Null(history.SpawnedUtc);
    }

    [Fact]
    public void ParseHistory_SupervisorNoStopOfTheProgram_IsEmpty()
    {
        ServiceHistory history = SupervisorServiceManager.Instance.ParseHistory("postgresql", 7, Ok(SupervisordLog), TimeSpan.Zero);

        Assert.Null(history.StopBeganUtc);
        Assert.Null(history.StoppedUtc);
        Assert.Empty(history.Evidence);
    }

    [Fact]
    public void ParseHistory_SupervisorLogUnreadable_Throws()
    {
        var denied = new CommandResult { Command = "tail", ExitCode = 1, Stderr = "tail: cannot open '/var/log/supervisor/supervisord.log' for reading: Permission denied\n" };

        Assert.Throws<ServiceManagerException>(() => SupervisorServiceManager.Instance.ParseHistory("odoo", 100, denied, TimeSpan.Zero));
    }

    [Fact]
    public void History_Systemd_ShowsTheTimestampsInUtcMicrosecondsWithoutSudo()
    {
        RemoteCommand command = SystemdServiceManager.Instance.History("odoo");

        Assert.False(command.Sudo);
        Assert.Equal(
            "/usr/bin/systemctl show -p ActiveExitTimestamp,InactiveEnterTimestamp,ExecMainStartTimestamp,ActiveEnterTimestamp,ExecMainPID --timestamp=us+utc --no-pager odoo",
            command.ToString());
    }

    [Fact]
    public void ParseHistory_SystemdRestarted_ReadsStopAndStartAfterIt()
    {
        const string show = """
            ExecMainStartTimestamp=Wed 2026-12-02 04:36:59.310123 UTC
            ExecMainPID=200
            ActiveEnterTimestamp=Wed 2026-12-02 04:36:59.320456 UTC
            ActiveExitTimestamp=Wed 2026-12-02 04:36:57.129000 UTC
            InactiveEnterTimestamp=Wed 2026-12-02 04:36:59.300000 UTC
            """;

        ServiceHistory history = SystemdServiceManager.Instance.ParseHistory("odoo", 100, Ok(show), PlusOne);

        Assert.Equal(Utc(4, 36, 57, 129), history.StopBeganUtc);
        Assert.Equal(Utc(4, 36, 59, 300), history.StoppedUtc);
        Assert.Equal(Utc(4, 36, 59, 310).AddTicks(1230), history.SpawnedUtc);
        Assert.Equal(200, history.SpawnedPid);
        Assert.Equal("microsecond", history.Resolution);
        Assert.Contains("ActiveExitTimestamp=Wed 2026-12-02 04:36:57.129000 UTC", history.Evidence);
    }

    [Fact]
    public void ParseHistory_SystemdStoppedNotStarted_IgnoresTheStartBeforeTheStop()
    {
        const string show = """
            ExecMainStartTimestamp=Wed 2026-12-02 04:00:00.000000 UTC
            ExecMainPID=0
            ActiveEnterTimestamp=Wed 2026-12-02 04:00:00.100000 UTC
            ActiveExitTimestamp=Wed 2026-12-02 04:36:57.129000 UTC
            InactiveEnterTimestamp=Wed 2026-12-02 04:36:59.300000 UTC
            """;

        ServiceHistory history = SystemdServiceManager.Instance.ParseHistory("odoo", 100, Ok(show), TimeSpan.Zero);

        Assert.Equal(Utc(4, 36, 57, 129), history.StopBeganUtc);
        Assert.Null(history.SpawnedUtc);
        Assert.Null(history.RunningUtc);
    }

    [Fact]
    public void ParseHistory_SystemdNeverStopped_IsEmpty()
    {
        const string show = "ExecMainStartTimestamp=Wed 2026-12-02 04:00:00.000000 UTC\nExecMainPID=100\nActiveEnterTimestamp=Wed 2026-12-02 04:00:00.100000 UTC\nActiveExitTimestamp=\nInactiveEnterTimestamp=\n";

        Assert.Null(SystemdServiceManager.Instance.ParseHistory("odoo", 100, Ok(show), TimeSpan.Zero).StoppedUtc);
    }

    [Fact]
    public void TargetClock_Rfc3339WithNanoseconds_ParsesOffsetAndTime()
    {
        Assert.Equal("/usr/bin/date --rfc-3339=ns", TargetClock.Read.ToString());
        DateTimeOffset at = TargetClock.Parse("2026-12-02 05:36:57.123456789+01:00\n")!.Value;

        Assert.Equal(PlusOne, at.Offset);
        Assert.Equal(Utc(4, 36, 57, 123).AddTicks(4567), at.UtcDateTime);
        Assert.Null(TargetClock.Parse("Wed Dec  2 05:36:57 CET 2026"));
    }

    [Theory]
    [InlineData("2026-12-02 04:36:57,681 2733 INFO odoo_production odoo.service.server: HTTP service (werkzeug) running on 127.0.0.1:8069", true)]
    [InlineData("2026-12-02 04:36:57.681 UTC [2732] LOG:  database system is ready to accept connections", true)]
    [InlineData("2026-12-02 05:36:57.681 CET [2732] LOG:  database system is ready to accept connections", false)]
    [InlineData("odoo.service.server: HTTP service (werkzeug) running on 127.0.0.1:8069", false)]
    public void LineTimeUtc_OdooAndPostgresqlInUtc_ReadsTheLeadingTime(string line, bool read)
    {
        Assert.Equal(read ? Utc(4, 36, 57, 681) : null, TargetClock.LineTimeUtc(line));
        Assert.True(LogScanner.IsReadyNotice(line) || !read);
    }

    private static DateTime Utc(int hour, int minute, int second, int millisecond) =>
        new(2026, 12, 2, hour, minute, second, millisecond, DateTimeKind.Utc);

    private static CommandResult Ok(string stdout) => new() { Command = "history", ExitCode = 0, Stdout = stdout };
}
